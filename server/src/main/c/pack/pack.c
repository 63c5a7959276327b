/* pack ARCH SERVER PAYLOAD LAYOUT: packs the linked server (a static ELF64 executable, its
 * code in one PT_LOAD at file offset 0 and its memory in one PT_LOAD without file bytes) for
 * unpack.c. Writes PAYLOAD, the code after the ELF headers, arithmetic-coded with model.h
 * (ARCH: amd64 or arm64 chooses the model's masks), and LAYOUT, a C header of where the
 * server lives in memory. Runs on the build machine; unpacks what it wrote and compares it
 * before it writes anything, so a build never ships a binary that unpacks wrong. */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

static void fail(const char *what)
{
    fprintf(stderr, "pack: %s\n", what);
    exit(1);
}

static unsigned long pack(const struct model_params *mp, const unsigned char *in, unsigned long len,
                          unsigned char *out)
{
    struct model *m = calloc(1, sizeof *m);
    if (!m)
        fail("out of memory");
    unsigned x1 = 0, x2 = 0xffffffff;
    unsigned long n = 0;
    for (unsigned long pos = 0; pos < len; pos++) {
        model_byte(m, mp, in, pos);
        unsigned partial = 1;
        for (int b = 7; b >= 0; b--) {
            int bit = in[pos] >> b & 1;
            unsigned middle = x1 + ((x2 - x1) >> 12) * model_predict(m, mp, partial);
            if (bit)
                x2 = middle;
            else
                x1 = middle + 1;
            model_update(m, mp, bit);
            partial = partial * 2 + bit;
            for (; ((x1 ^ x2) & 0xff000000) == 0; x1 <<= 8, x2 = x2 << 8 | 255)
                out[n++] = x2 >> 24;
        }
    }
    for (int i = 0; i < 4; i++, x1 <<= 8) /* all of x1: the unpacker reads exactly these bytes */
        out[n++] = x1 >> 24;
    free(m);
    return n;
}

int main(int argc, char **argv)
{
    if (argc != 5)
        fail("usage: pack amd64|arm64 SERVER PAYLOAD LAYOUT");
    const struct model_params *mp = !strcmp(argv[1], "amd64") ? &amd64_params
                                    : !strcmp(argv[1], "arm64") ? &arm64_params : 0;
    if (!mp)
        fail("the architecture is amd64 or arm64");
    FILE *f = fopen(argv[2], "rb");
    if (!f)
        fail("cannot read the server");
    static unsigned char elf[1 << 20], packed[1 << 20], check[1 << 20];
    unsigned long size = fread(elf, 1, sizeof elf, f);
    fclose(f);
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)elf;
    if (size < sizeof *eh || memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
        eh->e_type != ET_EXEC || eh->e_phoff + eh->e_phnum * sizeof(Elf64_Phdr) > size)
        fail("the server is not a static ELF64 executable");
    const Elf64_Phdr *text = 0, *memory = 0;
    for (int i = 0; i < eh->e_phnum; i++) {
        const Elf64_Phdr *ph = (const Elf64_Phdr *)(elf + eh->e_phoff) + i;
        if (ph->p_type != PT_LOAD)
            continue;
        if (ph->p_filesz && !text && ph->p_offset == 0 && ph->p_flags == (PF_R | PF_X))
            text = ph;
        else if (!ph->p_filesz && !memory && ph->p_flags == (PF_R | PF_W))
            memory = ph;
        else
            fail("the server has a segment other than its code and its zeroed memory");
    }
    unsigned long headers = eh->e_phoff + eh->e_phnum * sizeof(Elf64_Phdr);
    if (!text || !memory || text->p_filesz > size || text->p_filesz <= headers ||
        memory->p_vaddr < text->p_vaddr + text->p_memsz)
        fail("the server's code and memory are not laid out as unpack.c expects");

    unsigned long len = text->p_filesz - headers;
    unsigned long n = pack(mp, elf + headers, len, packed);
    struct model *m = calloc(1, sizeof *m);
    if (!m)
        fail("out of memory");
    model_unpack(m, mp, packed, check, len);
    free(m);
    if (memcmp(check, elf + headers, len))
        fail("the payload does not unpack to the server (model.h predicts differently twice?)");

    f = fopen(argv[3], "wb");
    if (!f || fwrite(packed, 1, n, f) != n || fclose(f))
        fail("cannot write the payload");
    f = fopen(argv[4], "w");
    if (!f)
        fail("cannot write the layout");
    fprintf(f, "/* Written by pack.c from %s: where the server lives in memory. */\n", argv[2]);
    fprintf(f, "#define SERVER_START 0x%lxUL /* its code, ELF headers first (not packed) */\n",
            (unsigned long)text->p_vaddr);
    fprintf(f, "#define SERVER_HEADERS %lu\n", headers);
    fprintf(f, "#define SERVER_CODE_BYTES %lu /* after the headers: what the payload unpacks to */\n", len);
    fprintf(f, "#define SERVER_END 0x%lxUL /* the end of its zeroed memory */\n",
            (unsigned long)(memory->p_vaddr + memory->p_memsz));
    fprintf(f, "#define SERVER_ENTRY 0x%lxUL\n", (unsigned long)eh->e_entry);
    if (fclose(f))
        fail("cannot write the layout");
    printf("tinyhttpd %s: %lu bytes of code packed into %lu\n", argv[1], len, n);
    return 0;
}
