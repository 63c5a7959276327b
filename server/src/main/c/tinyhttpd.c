/* tinyhttpd: a static-file HTTP/1.1 server in freestanding C (no libc).
 *
 * One SO_REUSEPORT listening socket per CPU, one process per socket, each with
 * its own edge-triggered epoll loop; the first process (PID 1 in a container)
 * is a worker too and forwards SIGTERM to the others, then waits for them.
 * Signals are read from a signalfd, never by handlers. See README.md. */
#include "sys.h"
#include "http.h"

#define MAXFD 2048   /* connection slots per worker, indexed by fd: the connection cap */
#define NCACHE 256   /* files each worker keeps open, hashed (direct-mapped by inode) */
#define SMALL 1024   /* files up to this size are also kept in memory: one write per answer */
#define OUTMAX 2560  /* response head, plus a small body */
#define BURST 16     /* answers per turn before the other connections get theirs */
#define DRAIN 8      /* seconds SIGTERM waits at most for answers in flight */
#define TMO 10       /* seconds: idle keep-alive, request head arrival, stalled sending */

struct conn {
    long deadline;   /* 0: free slot; else when the connection times out */
    int len;         /* request bytes in in[] */
    int drained;     /* the last read emptied the socket: wait for the next edge */
    int keep, busy;  /* keep-alive after this answer; an answer is being sent */
    char *op, *oe;   /* head bytes of out[] still to send */
    int ffd, own;    /* file being sent; own: a dup() of the cached one, ours to close */
    unsigned long off, rem;
};

struct file {
    struct statx st;   /* identity: inode, size, ctime, mtime, device */
    int fd;
    char meta[80];     /* "ETag: \"<content hash>\"\r\nLast-Modified: ...\r\n" */
    char body[SMALL];
};

static struct conn conns[MAXFD];   /* small: the once-a-second walk over them stays cheap */
static char inbuf[MAXFD][REQ_MAX], outbuf[MAXFD][OUTMAX];
static struct file cache[NCACHE];
static u8 hbuf[32768];   /* what files are hashed through */
static char date[32], root[1024];   /* the small state shares one page (RSS) */
static long now, stopping;   /* stopping: 0, or when the drain ends */
static int droot, lfd, ep, rootlen, live, hi, cap, nkids, kids[256];

static char *num(char *p, u64 v)   /* decimal */
{
    if (v > 9)
        p = num(p, v / 10);
    *p = '0' + v % 10;
    return p + 1;
}

/* Appends f to p: \1 inserts the next argument as a string, \2 as a number.
 * Arguments in registers (unused ones are ignored), gathered here in one array. */
static char *fmt3(char *p, const char *f, long x, long y, long z)
{
    long v[3] = {x, y, z}, *a = v;
    for (; *f; f++)
        if (*f == 1)
            p = put(p, (char *)*a++);
        else if (*f == 2)
            p = num(p, *a++);
        else
            *p++ = *f;
    return p;
}

/* fmt3 under a variadic name, so that calls pass only the arguments the format uses, in
 * registers: the x86_64 and aarch64 Linux ABIs pass them where fmt3 reads its parameters,
 * and the ones not passed are garbage that fmt3 never reads. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wattribute-alias"
static char *fmt(char *p, const char *f, ...) __attribute__((alias("fmt3")));
#pragma GCC diagnostic pop

INLINE void dig(char *p, u64 v, int n)   /* n digits, zero-padded */
{
    while (n--)
        p[n] = '0' + v % 10, v /= 10;
}

static int leap(u32 y)   /* exact from 1970 to 2105 */
{
    return !(y & 3) && y != 2100;
}

/* IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT"; returns the end. */
static char *httpdate(char *p, u64 t)
{
    u32 d = t / 86400, s = t % 86400, y = 1970, m = 0, len;
    put(p, "Thu, 01 Jan 1970 00:00:00 GMT");
    memcpy(p, "ThuFriSatSunMonTueWed" + d % 7 * 3, 3);
    while (d >= (len = 365 + leap(y)))
        d -= len, y++;
    while (d >= (len = "\37\34\37\36\37\36\37\37\36\37\36\37"[m] + (m == 1 && leap(y))))
        d -= len, m++;
    dig(p + 5, d + 1, 2);
    memcpy(p + 8, "JanFebMarAprMayJunJulAugSepOctNovDec" + m * 3, 3);
    dig(p + 12, y, 4);
    for (int i = 3; i--; s /= 60)   /* seconds, minutes, hours */
        dig(p + 17 + 3 * i, s % 60, 2);
    return p + 29;
}

static void out(int fd, const char *s)
{
    sc3(SYS_write, fd, (long)s, slen(s));
}

static void say(int fd, const char *a, const char *b)   /* "tinyhttpd: <a><b>\n", any length */
{
    out(fd, "tinyhttpd: ");
    out(fd, a);
    out(fd, b);
    out(fd, "\n");
}

INLINE void die(const char *a, const char *b, int code)
{
    say(2, a, b);
    sc1(SYS_exit_group, code);
}

INLINE int port_number(const char *s)   /* 1..65535, digits only; else -1 */
{
    int v = 0;
    do
        if ((unsigned)(*s - '0') > 9 || (v = v * 10 + *s - '0') > 65535)
            return -1;
    while (*++s);
    return v ? v : -1;
}

static void touch(struct conn *c)   /* progress: the timeout starts again */
{
    c->deadline = now + TMO;
}

static void ctl(int op, int fd, u32 events)
{
    struct epoll_event e = {events, fd};
    sc4(SYS_epoll_ctl, ep, op, fd, (long)&e);
}

static void drop(int fd)
{
    struct conn *c = &conns[fd];
    if (c->own)
        sc1(SYS_close, c->ffd);
    sc1(SYS_close, fd);
    c->deadline = c->own = 0;
    live--;
}

/* The real path of what fd refers to, into p (1 KiB, not NUL-ended): its length, or < 0. */
static long fdpath(long fd, char *p)
{
    char l[40];
    *num(put(l, "/proc/self/fd/"), fd) = 0;
    return sc4(SYS_readlinkat, AT_FDCWD, (long)l, (long)p, sizeof root);
}

/* Opens a file of the docroot without leaving it. Symlinks are followed (a
 * ConfigMap volume is made of them: index.html -> ..data/index.html), then the
 * real path of what was opened, from /proc/self/fd, must lie under the
 * docroot's: `..`, absolute or escaping symlinks, bind tricks all fail here.
 * (openat2's RESOLVE_BENEATH would need Linux 5.6 and is missing in qemu-user.) */
INLINE int open_beneath(const char *rel)
{
    char *p = (char *)hbuf;
    int fd = sc3(SYS_openat, droot, (long)rel, O_RDONLY | O_NONBLOCK);
    long n = fdpath(fd, p);
    if (n > rootlen && p[rootlen] == '/' && same(p, root, rootlen))
        return fd;
    sc1(SYS_close, fd);
    return -1;
}

/* statx: the file type (S_IFREG, S_IFDIR...), or 0 when there is no such file */
static int kstat(int dir, const char *path, int flags, struct statx *st)
{
    return sc6(SYS_statx, dir, (long)path, flags, 0x7ff /* STATX_BASIC_STATS */, (long)st, 0) < 0 ? 0 : st->mode & S_IFMT;
}

static struct file *slot(struct statx *st)
{
    return &cache[st->ino % NCACHE];   /* inodes of one directory tend to be consecutive */
}

/* The file at rel: a single statx when this worker already knows it unchanged.
 * Otherwise it is opened beneath the docroot, hashed once for its ETag and
 * remembered, so no request pays for a hash and the ETag (content only) is the
 * same on every replica. Only files once opened beneath the docroot are ever
 * served: a path that statx resolves elsewhere finds no entry of its own and is
 * opened (and refused) the safe way. Sets *dir for a directory. */
static struct file *get(const char *rel, int *dir)
{
    struct statx st;
    struct file *f;
    long n;
    u64 h, off = 0;
    int t = kstat(droot, rel, 0, &st);
    *dir = t == S_IFDIR;
    if (t != S_IFREG)
        return 0;
    f = slot(&st);   /* unchanged: same inode, size, ctime, mtime, device */
    if (same(&f->st.ino, &st.ino, 16) && same(&f->st.ctime, &st.ctime, 48))
        return f;

    int fd = open_beneath(rel);
    if (fd < 0)
        return 0;
    if (kstat(fd, "", 0x1000 /* AT_EMPTY_PATH */, &st) != S_IFREG) {
        sc1(SYS_close, fd);
        return 0;
    }
    f = slot(&st);
    if (f->st.ino)
        sc1(SYS_close, f->fd);
    f->st = st;
    f->fd = fd;
    for (h = 0xcbf29ce484222325; (n = sc4(SYS_pread, fd, (long)hbuf, sizeof hbuf, off)) > 0; off += n) {
        if (!off)
            memcpy(f->body, hbuf, SMALL);
        for (long j = 0; j < n; j++)   /* FNV-1a, 64 bits */
            h = (h ^ hbuf[j]) * 0x100000001b3;
    }
    if (off != st.size) {   /* changed while read (rewritten in place): no answer from it */
        f->st.size = -1;
        return 0;
    }
    char *p = put(f->meta, "ETag: \"");
    for (int i = 16; i--; h <<= 4)
        *p++ = "0123456789abcdef"[h >> 60];
    put(httpdate(put(p, "\"\r\nLast-Modified: "), st.mtime.sec), "\r\n");
    return f;
}

/* Does an If-None-Match value name our ETag (given with its quotes)? */
INLINE int tagged(const char *v, int n, const char *tag)
{
    if (n == 1 && *v == '*')
        return 1;
    for (int i = 0; i + 18 <= n; i++)
        if (same(v + i, tag, 18))
            return 1;
    return 0;
}

/* Builds the answer to one request into c->out (and c->ffd/off/rem when the
 * body is sent from the file). */
static void respond(int fd, struct conn *c, struct req *q)
{
    struct file *f = 0;
    int dir, gz = 0, r = 0, n = q->rellen;
    unsigned long from = 0, to = 0, size = 0;
    char *rel = q->rel, *out = outbuf[fd], *p = put(out, "HTTP/1.1 ");
    const char *msg = q->err;

    c->keep = q->keep && !stopping;
    if (!msg) {
        if (q->slash)
            n = put(rel + n, "index.html") - rel;
        if (q->gzip && !q->hv[H_RANGE]) {   /* a precompressed twin, when there is one */
            put(rel + n, ".gz");
            gz = !!(f = get(rel, &dir));
            rel[n] = 0;
        }
        if (!f && !(f = get(rel, &dir)))
            msg = dir && !q->slash ? "301 Moved Permanently" : "404 Not Found";
    }
    if (f) {
        const char *tag = f->meta + 6;
        to = (size = f->st.size) - 1;
        if (q->hv[H_RANGE] && (!q->hv[H_IF_RANGE] || (q->hl[H_IF_RANGE] == 18 && same(q->hv[H_IF_RANGE], tag, 18))))
            r = http_range(q->hv[H_RANGE], q->hl[H_RANGE], size, &from, &to);
        if (tagged(q->hv[H_IF_NONE_MATCH], q->hl[H_IF_NONE_MATCH], tag))
            p = put(p, "304 Not Modified\r\n"), q->head = 1;
        else if (r < 0)
            msg = "416 Range Not Satisfiable";
        else {
            p = r ? fmt(p, "206 Partial Content\r\nContent-Range: bytes \2-\2/\2\r\n", from, to, size)
                  : put(p, "200 OK\r\n");
            p = fmt(mime_type(put(p, "Content-Type: "), rel), "\r\nContent-Length: \2\r\n", to + 1 - from);
        }
        if (!msg)
            p = fmt(p, "\1Accept-Ranges: bytes\r\nCache-Control: no-cache\r\nVary: Accept-Encoding\r\n\1",
                    (long)f->meta, (long)(gz ? "Content-Encoding: gzip\r\n" : ""));
    }
    if (msg) {
        p = fmt(p, "\1\r\nContent-Type: text/plain\r\nContent-Length: \2\r\n", (long)msg, (long)slen(msg) + 1);
        if (r < 0)
            p = fmt(p, "Content-Range: bytes */\2\r\n", size);
        if (*msg == '3') {   /* Location: the path as sent, plus '/'; "//host" would leave the site */
            const char *s = q->path;
            while (s[1] == '/')
                s++;
            p = fmt(p, "Location: \1/\r\n", (long)s);
        }
        if (msg == E405)
            p = put(p, "Allow: GET, HEAD\r\n");
    }
    p = fmt(p, "Date: \1\r\nX-Content-Type-Options: nosniff\r\n\1\r\n",
            (long)date, (long)(!c->keep ? "Connection: close\r\n" : q->v10 ? "Connection: keep-alive\r\n" : ""));
    c->rem = 0;
    if (!q->head) {
        unsigned long len = to + 1 - from;
        if (msg)
            *(p = put(p, msg)) = '\n', p++;
        else if (size <= SMALL)
            p = memcpy(p, f->body + from, len) + len;
        else
            c->ffd = f->fd, c->off = from, c->rem = len;
    }
    c->op = out;
    c->oe = p;
    c->busy = 1;
}

/* Sends what is pending: 1 when the answer is complete, 0 when the socket is
 * full (an EPOLLOUT edge will follow), -1 when the connection is dead. */
static int push(int fd, struct conn *c)
{
    long n, head;
    while ((head = c->oe - c->op) || c->rem) {
        n = head ? sc6(SYS_sendto, fd, (long)c->op, head, c->rem ? MSG_MORE : 0, 0, 0)
                 : sc4(SYS_sendfile, fd, c->ffd, (long)&c->off, c->rem);
        if (n <= 0)
            goto full;   /* 0: the file shrank, the promised length cannot be kept */
        touch(c);
        if (head ? (c->op += n) < c->oe : (c->rem -= n))
            goto full;   /* a short write: the socket is full */
    }
    if (c->own)
        sc1(SYS_close, c->ffd);
    c->busy = c->own = 0;
    return 1;
full:   /* -EAGAIN; any other error shows again (EPIPE, ECONNRESET) as EPOLLERR/HUP */
    if (c->rem && !c->own) {   /* the cache may close its descriptor before we resume */
        if ((c->ffd = sc1(SYS_dup, c->ffd)) < 0)
            return -1;
        c->own = 1;
    }
    return n == -EAGAIN || n > 0 ? 0 : -1;
}

static void serve(int fd, u32 ev)
{
    static struct req q;
    struct conn *c = &conns[fd];
    char *in = inbuf[fd];
    c->drained = 0;   /* called on an event (or a new connection): the socket may have more */
    for (int burst = BURST;;) {
        if (c->busy) {
            int r = push(fd, c);
            if (r < 0 || (r && !c->keep))
                break;
            if (!r)
                return;
            touch(c);   /* idle from now on */
        }
        int n = c->len ? http_parse(in, c->len, &q) : 0;
        if (n) {
            respond(fd, c, &q);
            memcpy(in, in + n, c->len -= n);
            if (!--burst) {   /* let the others have a turn: re-arming re-reports readiness */
                ctl(3 /* EPOLL_CTL_MOD */, fd, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET);
                return;
            }
            continue;
        }
        if (c->drained)
            return;
        int room = REQ_MAX - c->len;
        long k = sc3(SYS_read, fd, (long)in + c->len, room);
        if (k == -EAGAIN)
            return;
        if (k <= 0)
            break;
        if (!c->len)
            touch(c);   /* a new request: its head must arrive in time */
        c->drained = k < room && !(ev & EPOLLRDHUP);
        c->len += k;
    }
    drop(fd);
}

/* Once a second: the Date header, and the connections that timed out (or,
 * when stopping, that sit idle). */
static void tick(void)
{
    struct timespec ts;
    sc2(SYS_clock_gettime, 0, (long)&ts);
    if (ts.sec == now)
        return;
    httpdate(date, now = ts.sec);
    for (int fd = 0; fd < hi; fd++) {
        struct conn *c = &conns[fd];
        if (c->deadline && (c->deadline <= now || (stopping && !c->busy && !c->len)))
            drop(fd);
    }
}

static void worker(void)
{
    struct epoll_event ev[64];
    u64 mask = SIGBIT(SIGTERM) | SIGBIT(SIGINT);
    int sfd = sc4(SYS_signalfd4, -1, (long)&mask, 8, O_NONBLOCK);
    ep = sc1(SYS_epoll_create1, 0);
    ctl(1, lfd, EPOLLIN);
    ctl(1, sfd, EPOLLIN | EPOLLONESHOT);   /* one SIGTERM is enough */
    for (;;) {
        int n = sc6(SYS_epoll_pwait, ep, (long)ev, 64, 1000, 0, 8);
        tick();
        for (int i = 0; i < n; i++) {
            int fd = ev[i].data;
            if (fd == lfd) {
                fd = sc4(SYS_accept4, lfd, 0, 0, SOCK_NONBLOCK);
                if ((unsigned)fd >= cap) {   /* over the cap (or no connection after all) */
                    sc1(SYS_close, fd);
                    continue;
                }
                struct conn *c = &conns[fd];
                c->len = c->busy = 0;
                if (fd >= hi)
                    hi = fd + 1;
                touch(c);
                live++;
                serve(fd, 0);   /* the request is often there already: answer it right away, */
                if (c->deadline)   /* and watch the connection only if it stays open */
                    ctl(1, fd, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET);
            } else if (fd == sfd) {
                /* SIGTERM: stop accepting, pass it on, drop idle connections at once (tick
                   walks them when the time changes), finish the rest within DRAIN seconds */
                sc1(SYS_close, lfd);
                for (int k = 0; k < nkids; k++)
                    sc2(SYS_kill, kids[k], SIGTERM);
                stopping = now + DRAIN;
                now = 0;
                tick();
            } else if (conns[fd].deadline) {
                if (ev[i].events & (EPOLLERR | EPOLLHUP))
                    drop(fd);
                else
                    serve(fd, ev[i].events);
            }
        }
        if (stopping && (!live || now >= stopping)) {
            while (sc4(SYS_wait4, -1, 0, 0, 0) > 0)   /* the first process waits for the others */
                ;
            sc1(SYS_exit_group, 0);
        }
    }
}

static int listener(int port)
{
    static struct sockaddr_in6 a;   /* [::]:port, or 0.0.0.0:port without IPv6 (zeroed, not .data) */
    int fd;
    a.port = port >> 8 | port << 8;
    for (a.family = 10; (fd = sc3(SYS_socket, a.family, 1 | SOCK_NONBLOCK, 0)) < 0 && a.family > 2;)
        a.family = 2;   /* no IPv6 in this kernel: IPv4, same layout up to the port */
    /* SO_REUSEADDR, SO_REUSEPORT, TCP_NODELAY (inherited by accepted sockets), IPV6_V6ONLY off */
    static const u8 opt[] = {1, 2, 1, 15, 6, 1, 41, 26};
    for (int i = 0; i < 8; i += 2) {
        int v = i < 6;
        sc6(SYS_setsockopt, fd, opt[i], opt[i + 1], (long)&v, 4, 0);
    }
    if (sc3(SYS_bind, fd, (long)&a, sizeof a) < 0 || sc2(SYS_listen, fd, 4096) < 0)
        return -1;
    return fd;
}

void start(long *sp)
{
    char **a = (char **)sp + 2, *doc = "/site", *ports = "8080";
    int port, nw = 0;
    for (; *a; a += 2) {   /* later flags win */
        char *o = a[0], *v = a[1];
        if (!v || o[0] != '-' || !o[1] || o[2])
        usage:
            die("usage: tinyhttpd [-p PORT] [-d DOCROOT]", "", 2);
        if (o[1] == 'd')
            doc = v;
        else if (o[1] == 'p')
            ports = v;
        else
            goto usage;
    }
    if ((port = port_number(ports)) < 0)
        die("bad port: ", ports, 2);
    droot = sc3(SYS_openat, AT_FDCWD, (long)doc, O_RDONLY | O_DIRECTORY);
    rootlen = fdpath(droot, root);   /* to check what we open against */
    if (droot < 0 || (unsigned)(rootlen - 1) >= sizeof root - 1)   /* none, or too long a path */
        die("cannot open docroot: ", doc, 1);
    if (rootlen == 1)
        rootlen = 0;   /* docroot "/" */

    u64 lim[2], cpus[16], sigs = SIGBIT(SIGTERM) | SIGBIT(SIGINT) | SIGBIT(SIGPIPE);
    sc4(SYS_prlimit64, 0, 7 /* RLIMIT_NOFILE: soft up to hard */, 0, (long)lim);
    lim[0] = lim[1];
    sc4(SYS_prlimit64, 0, 7, (long)lim, 0);
    /* stay under it: a connection over the cap is accepted and closed, where one over the
       limit would stay in the backlog and wake us in a loop */
    cap = MAXFD;
    if (lim[1] <= MAXFD)
        cap = lim[1] - 1;
    /* SIGTERM/SIGINT are read from a signalfd; SIGPIPE stays blocked: a vanished client is an EPIPE */
    sc4(SYS_rt_sigprocmask, 0, (long)&sigs, 0, 8);
    int bits = 8 * sc3(SYS_sched_getaffinity, 0, sizeof cpus, (long)cpus);
    for (int i = 0; i < bits && nw < 256; i++)
        nw += cpus[i / 64] >> i % 64 & 1;
    if ((lfd = listener(port)) < 0)
    fail:
        die("cannot listen on port ", ports, 1);
    say(1, "listening on port ", ports);
    while (--nw > 0) {
        int pid = sc2(SYS_clone, SIGCHLD, 0);
        if (!pid) {   /* a worker, with a socket of its own; it ends with the first process */
            sc2(SYS_prctl, 1 /* PR_SET_PDEATHSIG */, SIGTERM);
            sc1(SYS_close, lfd);
            nkids = 0;
            if ((lfd = listener(port)) < 0)
                goto fail;
            break;
        }
        if (pid < 0)
            break;   /* fewer workers, then */
        kids[nkids++] = pid;
    }
    worker();
}
