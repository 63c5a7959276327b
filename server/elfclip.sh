#!/bin/sh
# elfclip.sh FILE: drops what follows the loaded bytes of a static ELF64 executable
# (.shstrtab and the section header table, which only tools read; the kernel loads
# program headers) and zeroes e_shoff/e_shnum/e_shstrndx to match, like ELFkickers'
# sstrip. Done only when the file has the expected shape: every PT_LOAD with file
# bytes must start at offset 0 (text) or have none (bss), so the loaded bytes end
# at the first segment's p_filesz.
set -eu
f=$1
u16() { od -An -t u2 -j "$1" -N 2 "$f" | tr -d ' '; }
u32() { od -An -t u4 -j "$1" -N 4 "$f" | tr -d ' '; }
u64() { od -An -t u8 -j "$1" -N 8 "$f" | tr -d ' '; }
[ "$(od -An -c -N 4 "$f" | tr -d ' ')" = '177ELF' ] || { echo "elfclip: $f is not ELF" >&2; exit 1; }
phoff=$(u64 32) phentsize=$(u16 54) phnum=$(u16 56)
end=0 i=0
while [ "$i" -lt "$phnum" ]; do
  ph=$((phoff + i * phentsize))
  if [ "$(u32 "$ph")" = 1 ]; then   # PT_LOAD
    off=$(u64 $((ph + 8))) filesz=$(u64 $((ph + 32)))
    if [ "$filesz" != 0 ]; then
      [ "$off" = 0 ] || { echo "elfclip: $f has a loaded segment at offset $off, left as is" >&2; exit 0; }
      end=$filesz
    fi
  fi
  i=$((i + 1))
done
[ "$end" -gt 0 ] || exit 0
truncate -s "$end" "$f"
printf '\000\000\000\000\000\000\000\000' | dd of="$f" bs=1 seek=40 conv=notrunc status=none   # e_shoff
printf '\000\000\000\000' | dd of="$f" bs=1 seek=60 conv=notrunc status=none                   # e_shnum, e_shstrndx
