/* Raw Linux system calls: the only architecture-specific code.
 * One tiny assembly entry point `sc` per architecture shifts its C arguments
 * into the kernel's registers; the prototypes below are aliases of it with
 * different arities (unused argument registers hold garbage the kernel ignores). */
#ifndef SYS_H
#define SYS_H

typedef unsigned long u64;
typedef unsigned int u32;
typedef unsigned short u16;
typedef unsigned char u8;

/* HOSTED: the sanitizer build and the fuzzer link libc, which starts the program and brings
 * memcpy, memmove and memset; the system calls stay ours. */
#if defined(__x86_64__)
#ifndef HOSTED
__asm__(".text\n.global _start\n_start:\n mov %rsp,%rdi\n call start\n");
/* The compiler may call memcpy and memset itself; string instructions are small and fast.
 * memmove is the same forward copy: right for the one overlap the server has, moving bytes
 * towards the start of a buffer. */
__asm__(".global memcpy\n.global memmove\nmemcpy:\nmemmove:\n mov %rdi,%rax\n mov %rdx,%rcx\n rep movsb\n ret\n"
        ".global memset\nmemset:\n mov %rdi,%r8\n mov %esi,%eax\n mov %rdx,%rcx\n rep stosb\n"
        " mov %r8,%rax\n ret\n");
#endif
#define SC_NR "rax"        /* syscall number in, result out */
#define SC_R0 "rdi"
#define SC_R1 "rsi"
#define SC_R2 "rdx"
#define SC_R3 "r10"
#define SC_R4 "r8"
#define SC_R5 "r9"
#define SC_INSN "syscall"
#define SC_CLOBBER "rcx", "r11", "memory"
enum { SYS_read = 0, SYS_write = 1, SYS_close = 3, SYS_pread = 17, SYS_dup = 32,
       SYS_sendfile = 40, SYS_socket = 41, SYS_sendto = 44, SYS_shutdown = 48, SYS_bind = 49, SYS_listen = 50,
       SYS_setsockopt = 54, SYS_clone = 56, SYS_wait4 = 61, SYS_kill = 62,
       SYS_rt_sigprocmask = 14, SYS_prctl = 157, SYS_sched_getaffinity = 204,
       SYS_clock_gettime = 228, SYS_exit_group = 231, SYS_epoll_ctl = 233, SYS_openat = 257,
       SYS_readlinkat = 267, SYS_epoll_pwait = 281, SYS_accept4 = 288, SYS_signalfd4 = 289,
       SYS_epoll_create1 = 291, SYS_prlimit64 = 302, SYS_statx = 332 };
#define EPOLL_PACKED __attribute__((packed))
#define O_DIRECTORY 0200000
#elif defined(__aarch64__)
#define SC_NR "x8"
#define SC_R0 "x0"   /* the result comes back in x0 */
#define SC_R1 "x1"
#define SC_R2 "x2"
#define SC_R3 "x3"
#define SC_R4 "x4"
#define SC_R5 "x5"
#define SC_INSN "svc #0"
#define SC_CLOBBER "memory"
enum { SYS_dup = 23, SYS_epoll_create1 = 20, SYS_epoll_ctl = 21, SYS_epoll_pwait = 22,
       SYS_openat = 56, SYS_close = 57, SYS_read = 63, SYS_write = 64, SYS_pread = 67,
       SYS_sendfile = 71, SYS_signalfd4 = 74, SYS_readlinkat = 78, SYS_exit_group = 94,
       SYS_clock_gettime = 113, SYS_sched_getaffinity = 123, SYS_kill = 129,
       SYS_rt_sigprocmask = 135, SYS_prctl = 167, SYS_socket = 198, SYS_bind = 200,
       SYS_listen = 201, SYS_sendto = 206, SYS_shutdown = 210, SYS_setsockopt = 208, SYS_clone = 220,
       SYS_accept4 = 242, SYS_wait4 = 260, SYS_prlimit64 = 261, SYS_statx = 291 };
#define EPOLL_PACKED
#define O_DIRECTORY 040000
#ifndef HOSTED
__asm__(".text\n.global _start\n_start:\n mov x0, sp\n bl start\n");
/* a forward copy, so also memmove for the server's one overlap (towards the buffer's start) */
void *memcpy(void *d, const void *s, unsigned long n)
{
    char *a = d;
    const char *b = s;
    while (n--)
        *a++ = *b++;
    return d;
}
void *memmove(void *d, const void *s, unsigned long n) __attribute__((alias("memcpy")));
void *memset(void *d, int c, unsigned long n)
{
    char *a = d;
    while (n--)
        *a++ = c;
    return d;
}
#endif
#else
#error "unsupported architecture"
#endif

void *memcpy(void *d, const void *s, unsigned long n);
void *memmove(void *d, const void *s, unsigned long n);
void *memset(void *d, int c, unsigned long n);

/* System calls inline (a call would cost more than the instruction itself); scN takes N arguments. */
#define SC_DECL                                                            \
    register long nr __asm__(SC_NR) = n;                                   \
    register long r0 __asm__(SC_R0) = a
#define SC_FN static inline __attribute__((always_inline)) long
#if defined(__x86_64__)
#define SC_RET() (nr)   /* rax */
#define SC_IO "+r"(nr) : "r"(r0)
#else
#define SC_RET() (r0)   /* x0 */
#define SC_IO "+r"(r0) : "r"(nr)
#endif
SC_FN sc1(long n, long a)
{
    SC_DECL;
    __asm__ volatile(SC_INSN : SC_IO : SC_CLOBBER);
    return SC_RET();
}
SC_FN sc2(long n, long a, long b)
{
    SC_DECL;
    register long r1 __asm__(SC_R1) = b;
    __asm__ volatile(SC_INSN : SC_IO, "r"(r1) : SC_CLOBBER);
    return SC_RET();
}
SC_FN sc3(long n, long a, long b, long c)
{
    SC_DECL;
    register long r1 __asm__(SC_R1) = b, r2 __asm__(SC_R2) = c;
    __asm__ volatile(SC_INSN : SC_IO, "r"(r1), "r"(r2) : SC_CLOBBER);
    return SC_RET();
}
SC_FN sc4(long n, long a, long b, long c, long d)
{
    SC_DECL;
    register long r1 __asm__(SC_R1) = b, r2 __asm__(SC_R2) = c, r3 __asm__(SC_R3) = d;
    __asm__ volatile(SC_INSN : SC_IO, "r"(r1), "r"(r2), "r"(r3) : SC_CLOBBER);
    return SC_RET();
}
SC_FN sc6(long n, long a, long b, long c, long d, long e, long f)
{
    SC_DECL;
    register long r1 __asm__(SC_R1) = b, r2 __asm__(SC_R2) = c, r3 __asm__(SC_R3) = d;
    register long r4 __asm__(SC_R4) = e, r5 __asm__(SC_R5) = f;
    __asm__ volatile(SC_INSN : SC_IO, "r"(r1), "r"(r2), "r"(r3), "r"(r4), "r"(r5) : SC_CLOBBER);
    return SC_RET();
}

#define EAGAIN 11
#define AT_FDCWD -100
#define AT_EMPTY_PATH 0x1000     /* statx of the descriptor itself */
#define STATX_BASIC_STATS 0x7ff
#define O_RDONLY 0
#define O_NONBLOCK 04000
#define O_CLOEXEC 02000000
#define SOCK_NONBLOCK 04000
#define MSG_MORE 0x8000
#define AF_INET 2
#define AF_INET6 10
#define SOCK_STREAM 1
#define SOL_SOCKET 1
#define SO_REUSEADDR 2
#define SO_REUSEPORT 15
#define IPPROTO_TCP 6
#define TCP_NODELAY 1
#define IPPROTO_IPV6 41
#define IPV6_V6ONLY 26
#define SHUT_WR 1
#define EPOLL_CTL_ADD 1
#define EPOLL_CTL_MOD 3
#define EPOLLIN 1
#define EPOLLOUT 4
#define EPOLLERR 8
#define EPOLLHUP 16
#define EPOLLRDHUP 0x2000
#define EPOLLET (1u << 31)
#define EPOLLONESHOT (1u << 30)
#define EPOLLEXCLUSIVE (1u << 28)
#define S_IFMT 0170000
#define S_IFDIR 0040000
#define S_IFREG 0100000
#define CLOCK_REALTIME 0
#define RLIMIT_NOFILE 7
#define PR_SET_PDEATHSIG 1
#define SIG_BLOCK 0
#define SIGINT 2
#define SIGPIPE 13
#define SIGTERM 15
#define SIGCHLD 17
#define SIGBIT(s) (1ul << ((s) - 1))

struct epoll_event { u32 events; u64 data; } EPOLL_PACKED;
struct timespec { long sec, nsec; };
struct stx_ts { long long sec; u32 nsec; int pad; };
struct statx {
    u32 mask, blksize; u64 attributes; u32 nlink, uid, gid; u16 mode, pad1;
    u64 ino, size, blocks, attributes_mask;
    struct stx_ts atime, btime, ctime, mtime;
    u32 rdev_major, rdev_minor, dev_major, dev_minor;
    u64 spare[14];
};
struct sockaddr_in6 { u16 family, port; u32 flowinfo; u8 addr[16]; u32 scope; };

#endif
