/* The start of the shipped tinyhttpd: unpacks the server (packed by pack.c with model.h) to
 * the addresses it was linked for, and jumps to its entry with the stack the kernel gave,
 * so the server starts as if the kernel had loaded it. The binary is 28 % (amd64) and 34 %
 * (arm64) smaller than the server as linked; layer 1 of every image, gzipped, is 1.4 % (amd64)
 * and 2.7 % (arm64) smaller. Unpacking takes about 20 ms and 3 MiB once per start.
 * Built with the server's flags, and:
 *   -DLAYOUT="..."   the header pack.c wrote: SERVER_START, _HEADERS, _CODE_BYTES, _END, _ENTRY
 *   -DPAYLOAD="..."  the packed code, included below as read-only data
 * The server's code is written while it is only writable, then made only executable:
 * no page is ever both. */
#include "../sys.h"
#include "model.h"
#include LAYOUT

enum { PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4, MAP_PRIVATE = 2, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20 };
#if defined(__x86_64__)
enum { SYS_mmap = 9, SYS_mprotect = 10, SYS_munmap = 11 };
static const struct model_params *const params = &amd64_params;
#else
enum { SYS_munmap = 215, SYS_mmap = 222, SYS_mprotect = 226 };
static const struct model_params *const params = &arm64_params;
#endif

__asm__(".section .rodata\n.global payload\npayload:\n.incbin \"" PAYLOAD "\"\n.text\n");
extern const unsigned char payload[];

/* Newly written code reaches the instruction fetch of an arm64 core only through the point
 * of unification: clean the data cache lines, invalidate the instruction cache lines. */
static void sync_instruction_cache(char *from, char *to)
{
#if defined(__aarch64__)
    u64 ctr;
    __asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
    u64 dline = 4 << (ctr >> 16 & 15), iline = 4 << (ctr & 15);
    for (char *p = (char *)((u64)from & -dline); p < to; p += dline)
        __asm__ volatile("dc cvau, %0" ::"r"(p) : "memory");
    __asm__ volatile("dsb ish" ::: "memory");
    for (char *p = (char *)((u64)from & -iline); p < to; p += iline)
        __asm__ volatile("ic ivau, %0" ::"r"(p) : "memory");
    __asm__ volatile("dsb ish\nisb" ::: "memory");
#else
    (void)from, (void)to; /* x86 keeps instruction fetch coherent with stores */
#endif
}

static void die(void)
{
    static const char message[] = "tinyhttpd: cannot map memory to unpack the server\n";
    sc3(SYS_write, 2, (long)message, sizeof message - 1);
    sc1(SYS_exit_group, 127);
}

__attribute__((noreturn)) void start(long *stack)
{
    /* The server's code and zeroed memory, writable for now (the kernel rounds to pages). */
    char *server = (char *)SERVER_START;
    if (sc6(SYS_mmap, (long)server, SERVER_END - SERVER_START, PROT_READ | PROT_WRITE,
            MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != (long)server)
        die();
    struct model *m = (struct model *)sc6(SYS_mmap, 0, sizeof *m, PROT_READ | PROT_WRITE,
                                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if ((unsigned long)m > -4096UL)
        die();

    unsigned char *out = (unsigned char *)server + SERVER_HEADERS;
    model_unpack(m, params, payload, out, SERVER_CODE_BYTES);
    sc2(SYS_munmap, (long)m, sizeof *m);
    sync_instruction_cache(server, (char *)out + SERVER_CODE_BYTES);
    if (sc3(SYS_mprotect, (long)server, SERVER_HEADERS + SERVER_CODE_BYTES, PROT_READ | PROT_EXEC))
        die();

    /* The server's own _start, on the kernel's stack as it was (argc, argv, envp, auxv). */
#if defined(__x86_64__)
    __asm__ volatile("mov %0, %%rsp\nxor %%edx, %%edx\njmp *%1" ::"r"(stack), "r"(SERVER_ENTRY));
#else
    __asm__ volatile("mov sp, %0\nbr %1" ::"r"(stack), "r"(SERVER_ENTRY));
#endif
    __builtin_unreachable();
}
