#!/usr/bin/env bash
# Fuzzes the request parser (src/main/c/http.c, mime.c) with libFuzzer + ASan + UBSan.
#   server/fuzz/run.sh [SECONDS]      (default 600)
# The corpus grows in fuzz/out/corpus (seeded from fuzz/seeds); crashes land in fuzz/findings/.
# Needs clang with libFuzzer (Debian: apt-get install clang).
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-600}
mkdir -p out/corpus findings
clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I../src/main/c fuzz_http.c ../src/main/c/http.c ../src/main/c/mime.c -o out/fuzz_http
cp -n seeds/* out/corpus/ 2>/dev/null || true
./out/fuzz_http -max_total_time="$seconds" -max_len=9000 -dict=http.dict -print_final_stats=1 \
  -artifact_prefix=findings/ out/corpus 2>&1 | tee out/last-run.log | grep -E "^#[0-9]+[[:space:]]+DONE|^Done|ERROR|SUMMARY|stat::" || true
if ls findings/* >/dev/null 2>&1; then
  echo "findings (reproduce: out/fuzz_http findings/FILE):"; ls -l findings/
  exit 1
fi
echo "no findings in ${seconds}s; corpus: $(ls out/corpus | wc -l) inputs"
