#!/usr/bin/env bash
# Fuzzes the whole request -> response path of tinyhttpd.c against a model docroot
# (fuzz_server.c), with libFuzzer + AddressSanitizer + UBSan.
#   server/fuzz/run.sh [SECONDS]      (default 600)
# The corpus grows in fuzz/out/corpus (seeded from fuzz/seeds); crashes land in fuzz/findings/.
# Needs clang with libFuzzer (Debian: apt-get install clang).
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-600}
mkdir -p out/corpus findings
clang -g -O1 -DHOSTED -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -Wno-incompatible-library-redeclaration \
  fuzz_server.c ../src/main/c/http.c ../src/main/c/mime.c -o out/fuzz_server
cp -n seeds/* out/corpus/ 2>/dev/null || true
./out/fuzz_server -max_total_time="$seconds" -max_len=9000 -dict=http.dict -print_final_stats=1 \
  -artifact_prefix=findings/ out/corpus 2>&1 | tee out/last-run.log | grep -E "^#[0-9]+[[:space:]]+DONE|^Done|ERROR|SUMMARY|broken|stat::" || true
rm -rf /tmp/tinyhttpd-fuzz-*
if ls findings/* >/dev/null 2>&1; then
  echo "findings (reproduce: out/fuzz_server findings/FILE):"; ls -l findings/
  exit 1
fi
echo "no findings in ${seconds}s; corpus: $(ls out/corpus | wc -l) inputs"
