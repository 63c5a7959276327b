#!/usr/bin/env python3
"""ustar.py OUT BINARY: layer 1 of every image, uncompressed: the directory /site and the file
/tinyhttpd (BINARY), both 0555, as a ustar archive with the fewest header bytes.

GNU tar writes every numeric field in full ("0000555", uid "0000000", mtime "00000000000")
and pads the archive to 10 KiB; here a number is written only when it is not 0, as short as it
goes, and the archive ends after its two zero blocks. An all-NUL numeric field is 0 to every
reader (GNU tar, busybox, Go's archive/tar in containerd and podman, commons-compress): owner
0:0 and time 0, as before. The header bytes saved compress to 15 to 25 bytes of the layer."""
import sys

BLOCK = 512


def header(name, mode, size, typeflag):
    h = bytearray(BLOCK)

    def put(offset, text):
        h[offset:offset + len(text)] = text.encode("ascii")

    put(0, name)
    put(100, "%o" % mode)
    if size:
        put(124, "%o" % size)
    put(156, typeflag)
    put(257, "ustar\0" "00")
    put(148, " " * 8)  # the checksum counts its own field as spaces
    put(148, "%06o\0 " % sum(h))
    return bytes(h)


def main(out, binary):
    data = open(binary, "rb").read()
    tar = header("site/", 0o555, 0, "5") + header("tinyhttpd", 0o555, len(data), "0")
    tar += data + bytes(-len(data) % BLOCK) + bytes(2 * BLOCK)
    with open(out, "wb") as f:
        f.write(tar)


if __name__ == "__main__":
    main(*sys.argv[1:])
