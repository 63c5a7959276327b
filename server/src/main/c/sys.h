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

#if defined(__x86_64__)
__asm__(".text\n.global _start\n_start:\n mov %rsp,%rdi\n call start\n"
        "sc:\n mov %rdi,%rax\n mov %rsi,%rdi\n mov %rdx,%rsi\n mov %rcx,%rdx\n"
        " mov %r8,%r10\n mov %r9,%r8\n mov 8(%rsp),%r9\n syscall\n ret\n");
enum { SYS_read = 0, SYS_write = 1, SYS_close = 3, SYS_pread = 17, SYS_dup = 32,
       SYS_sendfile = 40, SYS_socket = 41, SYS_sendto = 44, SYS_bind = 49, SYS_listen = 50,
       SYS_setsockopt = 54, SYS_clone = 56, SYS_wait4 = 61, SYS_kill = 62,
       SYS_rt_sigprocmask = 14, SYS_rt_sigtimedwait = 128, SYS_prctl = 157,
       SYS_sched_getaffinity = 204, SYS_clock_gettime = 228, SYS_exit_group = 231,
       SYS_epoll_ctl = 233, SYS_openat = 257, SYS_readlinkat = 267, SYS_epoll_pwait = 281,
       SYS_accept4 = 288, SYS_signalfd4 = 289, SYS_epoll_create1 = 291, SYS_prlimit64 = 302,
       SYS_statx = 332, SYS_openat2 = 437 };
#define EPOLL_PACKED __attribute__((packed))
#define O_DIRECTORY 0200000
/* the compiler may call these for copies; string instructions are small and fast */
__asm__(".global memcpy\nmemcpy:\n mov %rdi,%rax\n mov %rdx,%rcx\n rep movsb\n ret\n"
        ".global memset\nmemset:\n mov %rdi,%r8\n mov %esi,%eax\n mov %rdx,%rcx\n rep stosb\n"
        " mov %r8,%rax\n ret\n");
#elif defined(__aarch64__)
__asm__(".text\n.global _start\n_start:\n mov x0, sp\n bl start\n"
        "sc:\n mov x8, x0\n mov x0, x1\n mov x1, x2\n mov x2, x3\n mov x3, x4\n"
        " mov x4, x5\n mov x5, x6\n svc #0\n ret\n");
enum { SYS_dup = 23, SYS_epoll_create1 = 20, SYS_epoll_ctl = 21, SYS_epoll_pwait = 22,
       SYS_openat = 56, SYS_close = 57, SYS_read = 63, SYS_write = 64, SYS_pread = 67,
       SYS_sendfile = 71, SYS_signalfd4 = 74, SYS_readlinkat = 78, SYS_exit_group = 94,
       SYS_clock_gettime = 113, SYS_sched_getaffinity = 123, SYS_kill = 129,
       SYS_rt_sigprocmask = 135, SYS_rt_sigtimedwait = 137, SYS_prctl = 167,
       SYS_socket = 198, SYS_bind = 200, SYS_listen = 201, SYS_sendto = 206,
       SYS_setsockopt = 208, SYS_clone = 220, SYS_accept4 = 242, SYS_wait4 = 260,
       SYS_prlimit64 = 261, SYS_statx = 291, SYS_openat2 = 437 };
#define EPOLL_PACKED
#define O_DIRECTORY 040000
void *memcpy(void *d, const void *s, unsigned long n)
{
    char *a = d;
    const char *b = s;
    while (n--)
        *a++ = *b++;
    return d;
}
void *memset(void *d, int c, unsigned long n)
{
    char *a = d;
    while (n--)
        *a++ = c;
    return d;
}
#else
#error "unsupported architecture"
#endif

void *memcpy(void *d, const void *s, unsigned long n);
void *memset(void *d, int c, unsigned long n);
long sc0(long n) __asm__("sc");
long sc1(long n, long a) __asm__("sc");
long sc2(long n, long a, long b) __asm__("sc");
long sc3(long n, long a, long b, long c) __asm__("sc");
long sc4(long n, long a, long b, long c, long d) __asm__("sc");
long sc6(long n, long a, long b, long c, long d, long e, long f) __asm__("sc");

#define EAGAIN 11
#define ENOSYS 38
#define AT_FDCWD -100
#define O_RDONLY 0
#define O_NONBLOCK 04000
#define O_CLOEXEC 02000000
#define SOCK_NONBLOCK 04000
#define MSG_MORE 0x8000
#define MSG_NOSIGNAL 0x4000
#define EPOLLIN 1
#define EPOLLOUT 4
#define EPOLLERR 8
#define EPOLLHUP 16
#define EPOLLRDHUP 0x2000
#define EPOLLET (1u << 31)
#define S_IFMT 0170000
#define S_IFDIR 0040000
#define S_IFREG 0100000
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
