#!/usr/bin/env python3
"""order/search.py ARCH [MOVES]: searches an order of tinyhttpd's functions in the text that
makes layer 1 compress smaller, and writes it as order/ARCH.ld (ARCH: amd64 or arm64).

The binary has the same size in any order (calls and branches are pc-relative, of one size
wherever their target lies); only zopfli sees a difference. Starting from the compiler's order
reversed (it measured better than the order itself), each move takes one function to another
place and is kept when the layer (zopfli --i15) got smaller. Run from server/, after a change
of the C that moved many bytes; it takes about a second a move."""
import os
import random
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER = os.path.dirname(HERE)
C = os.path.join(SERVER, "src/main/c")
TOOLS = {"amd64": ("gcc", "objcopy", "ld", "x86_64"),
         "arm64": ("aarch64-linux-gnu-gcc", "aarch64-linux-gnu-objcopy", "aarch64-linux-gnu-ld", "aarch64")}


def script(names, cpu):
    body = "".join("    *(.text.%s .text.%s.*)\n" % (n, n) for n in names)
    return ("""/* The order of tinyhttpd's functions in the %s text (ld -T with INSERT: the default
 * script otherwise), written by order/search.py. It is chosen for zopfli only: a call or
 * branch is the same size wherever its target lies, so the binary has the same size in any
 * order, and layer 1 compresses smallest in this one of those tried. A function not named
 * here (a new one) follows these; a name that no longer exists matches nothing. */
SECTIONS
{
  .text.ordered :
  {
%s  }
}
INSERT BEFORE .text;
""" % (cpu, body))


def main(arch, moves=300):
    cc, objcopy, ld, cpu = TOOLS[arch]
    out = os.path.join(tempfile.mkdtemp(), "tinyhttpd")
    target = "/tmp/order-search/tinystatic/server/linux-%s/tinyhttpd" % arch
    make = subprocess.run(["make", "-n", "-B", "OUT=/tmp/order-search", target], cwd=SERVER,
                          capture_output=True, text=True, check=True).stdout
    link = next(l for l in make.splitlines() if l.startswith(cc + " ")).split()
    link = [a for a in link[1:] if not a.startswith("-Wl,-T,")]
    cut = link.index("-o")
    flags, sources = link[:cut], link[cut + 2:]
    obj = out + ".o"   # compiled once; only the link changes from move to move
    subprocess.run([cc] + [f for f in flags if not f.startswith("-Wl") and f not in ("-static", "-nostdlib", "-no-pie")]
                   + ["-c", "-o", obj] + sources, cwd=SERVER, check=True)
    sections = re.findall(r"\s\.text\.([\w.]+)\s", subprocess.run(["objdump", "-h", obj], capture_output=True,
                                                                  text=True).stdout)
    names = [re.sub(r"\.constprop\.\d+$", "", s) for s in sections][::-1]
    ldflags = [f for f in flags if f.startswith("-Wl")] + ["-static", "-nostdlib", "-no-pie"]

    def layer(order):
        open(out + ".ld", "w").write(script(order, cpu))
        subprocess.run([cc] + ldflags + ["-Wl,-T," + out + ".ld", "-o", out, obj], check=True)
        subprocess.run([objcopy, "--remove-section=.comment", "--remove-section=.note*", out], check=True)
        subprocess.run(["sh", os.path.join(SERVER, "elfclip.sh"), out], check=True)
        subprocess.run(["python3", os.path.join(SERVER, "ustar.py"), out + ".tar", out], check=True)
        return len(subprocess.run(["zopfli", "--i15", "-c", out + ".tar"], capture_output=True, check=True).stdout)

    best = layer(names)
    print("compiler's order reversed: %d" % best, flush=True)
    for i in range(int(moves)):
        order = names[:]
        a, b = random.sample(range(len(order)), 2)
        order.insert(b, order.pop(a))
        size = layer(order)
        if size < best:
            names, best = order, size
            print("move %d: %d" % (i, best), flush=True)
    open(os.path.join(HERE, arch + ".ld"), "w").write(script(names, cpu))


if __name__ == "__main__":
    main(*sys.argv[1:])
