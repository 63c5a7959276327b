/* tinyhttpd: a static-file HTTP/1.1 server in freestanding C (no libc).
 *
 * One listening socket, one worker process per CPU, each with its own
 * edge-triggered epoll loop; the first process (PID 1 in a container) is a
 * worker too, forwards SIGTERM to the others and waits for them. A connection
 * is a slot indexed by its descriptor, with an explicit state; each turn of the
 * loop does what the ready connections can do, a bounded amount each. Signals
 * are read from a signalfd, never by handlers. See README.md. */
#include "sys.h"
#include "http.h"

#define MAXFD 2048   /* connection slots per worker, indexed by fd: the connection cap */
#define NCACHE 256   /* files each worker keeps open, hashed (direct-mapped by inode) */
#define SMALL 1024   /* files up to this size are also kept in memory: one write per answer */
#define HDRS_MAX 16384  /* the headers file (-m) */
#define OUTMAX (2560 + HDRS_MAX)  /* response head (with its -m lines), plus a small body */
#define BURST 16     /* answers per turn before the other connections get theirs */
#define SLICE (256 << 10)  /* bytes of a cold file hashed per turn: a bigger one takes turns */
#define DRAIN 8      /* seconds SIGTERM waits at most for answers in flight */
#define TMO 10       /* seconds: idle keep-alive, request head arrival, stalled sending */
#define LINGER 2     /* seconds a closing connection reads (and forgets) what the client still sends */
#define WATCH (EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET)

/* What a connection is doing. */
enum { FREE, READING, SENDING, LINGERING };

/* A slot per file descriptor (darkhttpd's model: one struct, one state). */
struct connection {
    u8 state;         /* FREE; READING requests (and answering them); SENDING an answer;
                         LINGERING: answered, half-closed, reading until the client closes */
    u8 keep;          /* keep the connection once the answer is sent */
    u8 drained;       /* the last read emptied the socket: wait for the next EPOLLIN edge */
    u8 owned;         /* body_fd is a dup() of the cache's descriptor, ours to close */
    u8 unread;        /* the request announced a body, which is not read */
    int inlen;        /* request bytes in bufs[fd].in */
    long deadline;    /* when it times out */
    char *head, *head_end;  /* bytes of bufs[fd].out still to send: the head (and a small body) */
    int body_fd;      /* the file the rest of the body comes from... */
    u64 body_off, body_left;  /* ...from this offset, this many bytes */
};

/* A file this worker knows: opened beneath the docroot once, hashed once. The small fields
 * come first (one-byte displacements on x86_64). */
struct file {
    int fd;
    int hashing;       /* its hash is not done: done bytes of it so far, hash h */
    u64 done, h;       /* FNV-1a, 64 bits */
    struct statx st;   /* identity: inode, size, ctime, mtime, device */
    char meta[80];     /* "ETag: \"<content hash>\"\r\nLast-Modified: <date>\r\n" */
    char body[SMALL];  /* the bytes of a small file */
};
#define LAST_MODIFIED 41   /* where the date starts in meta[] */
#define WAIT (cache + NCACHE)   /* from get(): come back, its hash is not done */

/* A connection's two buffers, side by side: one array (on aarch64 one address within reach) */
static struct buffers {
    char in[REQ_MAX];   /* the requests read */
    char out[OUTMAX];   /* the answer being sent: its head (and a small body) */
} bufs[MAXFD];
static struct connection conns[MAXFD];   /* small: the once-a-second walk over them stays cheap */
static struct file cache[NCACHE];
static u8 hbuf[32768];   /* what files are hashed through */
static char date[32], root[1024];   /* the small state shares one page (RSS) */
static char file_lines[HDRS_MAX + 2];   /* '\n', the headers file, NUL */
static const char *lines, *paths, *lines_end;   /* the headers lines in use and their parts */
enum { ARG_PORT, ARG_DOCROOT, ARG_ADDRESS, ARG_HEADERS, ARG_FALLBACK, ARG_NOTFOUND, NARG };
static char *arg[NARG];   /* the values of -p -d -a -m -s -n (zeros, not .data: set at start) */
#define pages (arg + ARG_FALLBACK)   /* the SPA fallback and the not-found page, or 0 */
static long now, stopping;   /* stopping: 0, or when the drain ends */
static int nkids, kids[256];   /* the first process: the other workers */
static int droot, lfd, ep, rootlen, live, hi, cap;

static char *num(char *p, u64 v)   /* decimal */
{
    if (v > 9)
        p = num(p, v / 10);
    *p = '0' + v % 10;
    return p + 1;
}

static char *copy(char *p, const char *from, const char *to)   /* appends [from, to) */
{
    return (char *)memcpy(p, from, to - from) + (to - from);
}

/* Appends f to p: \1 inserts the next argument as a string, \2 as a number, \3 the
 * bytes from the next argument up to the one after it. Arguments in registers (unused
 * ones are ignored), gathered here in one array. */
static char *fmt4(char *p, const char *f, long w, long x, long y, long z)
{
    long v[4] = {w, x, y, z}, *a = v;
    for (; *f; f++)
        if (*f == 1)
            p = put(p, (char *)*a++);
        else if (*f == 2)
            p = num(p, *a++);
        else if (*f == 3)
            p = copy(p, (char *)a[0], (char *)a[1]), a += 2;
        else
            *p++ = *f;
    return p;
}

/* fmt4 under a variadic name, so that calls pass only the arguments the format uses, in
 * registers: the x86_64 and aarch64 Linux ABIs pass them where fmt4 reads its parameters,
 * and the ones not passed are garbage that fmt4 never reads. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wattribute-alias"
static char *fmt(char *p, const char *f, ...) __attribute__((alias("fmt4")));
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
TUNED("tree-forwprop")
static char *httpdate(char *p, u64 t)
{
    u32 d = t / 86400, s = t % 86400, y = 1970, m = 0, len;
    put(p, "Thu, 01 Jan 1970 00:00:00 GMT");
    memcpy(p, &"ThuFriSatSunMonTueWed"[d % 7 * 3], 3);
    while (d >= (len = 365 + leap(y)))
        d -= len, y++;
    while (d >= (len = "\37\34\37\36\37\36\37\37\36\37\36\37"[m] + (m == 1 && leap(y))))
        d -= len, m++;
    dig(p + 5, d + 1, 2);
    memcpy(p + 8, MONTHS + m * 3, 3);
    dig(p + 12, y, 4);
    for (int i = 3; i--; s /= 60)   /* seconds, minutes, hours */
        dig(p + 17 + 3 * i, s % 60, 2);
    return p + 29;
}

/* "tinyhttpd: <a><b>\n" in one write (b, a command line value, is 1 KiB at most; hbuf holds 32) */
static void say(int fd, const char *a, const char *b)
{
    char *m = (char *)hbuf;
    sc3(SYS_write, fd, (long)m, fmt(m, "tinyhttpd: \1\1\n", (long)a, (long)b) - m);
}

static void die(const char *a, const char *b, int code)
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

static void touch(struct connection *c)   /* progress: the timeout starts again */
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
    struct connection *c = &conns[fd];
    if (c->owned)
        sc1(SYS_close, c->body_fd);
    sc1(SYS_close, fd);
    c->state = c->owned = 0;
    live--;
}

/* The real path of what fd refers to, into p (1 KiB, not NUL-ended): its length, or < 0. */
static long fdpath(long fd, char *p)
{
    char l[40];
    *fmt(l, "/proc/self/fd/\2", fd) = 0;
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
    long fd = sc3(SYS_openat, droot, (long)rel, O_RDONLY | O_NONBLOCK);
    long n = fdpath(fd, p);
    if (n > rootlen && p[rootlen] == '/' && same(p, root, rootlen))
        return fd;
    sc1(SYS_close, fd);
    return -1;
}

/* statx: the file type (S_IFREG, S_IFDIR...), or 0 when there is no such file */
static int kstat(int dir, const char *path, int flags, struct statx *st)
{
    return sc6(SYS_statx, dir, (long)path, flags, STATX_BASIC_STATS, (long)st, 0) < 0 ? 0 : st->mode & S_IFMT;
}

/* Is f the file st describes, unchanged: same inode, size, ctime, mtime, device? */
static int known(struct file *f, struct statx *st)
{
    return same(&f->st.ino, &st->ino, 16) && same(&f->st.ctime, &st->ctime, 48);
}

/* The file at rel: a single statx when this worker already knows it unchanged.
 * Otherwise it is opened beneath the docroot, hashed once for its ETag and
 * remembered (in the slot of its inode: those of one directory tend to be
 * consecutive), so the ETag (content only) is the same on every replica. The
 * hash takes turns, SLICE bytes each: a request that needs it (or any file of
 * its slot) hashes a slice more and, until the last one, gets WAIT and comes back
 * next turn, so a cold big file stalls no one else. Only files once
 * opened beneath the docroot are ever served: a path that statx resolves
 * elsewhere finds no entry of its own and is opened (and refused) the safe way.
 * Sets *dir for a directory. */
TUNED("no-tree-loop-im","no-ree")
static struct file *get(const char *rel, int *dir)
{
    struct statx st;
    long n = 1;
    int t = kstat(droot, rel, 0, &st);
    *dir = t == S_IFDIR;
    if (t != S_IFREG)
        return 0;
    struct file *f = &cache[st.ino % NCACHE];
    if (!f->hashing) {
        if (known(f, &st))
            return f;
        int fd = open_beneath(rel);
        if (fd < 0)
            return 0;
        if (f->st.ino)
            sc1(SYS_close, f->fd);   /* connections still sending it hold a dup() */
        f->st = st;
        f->fd = fd;
        f->done = 0;
        f->h = 0xcbf29ce484222325;
        f->hashing = 1;
    }
    for (u64 end = f->done + SLICE; f->done < end && (n = sc4(SYS_pread, f->fd, (long)hbuf, sizeof hbuf, f->done)) > 0;
         f->done += n)
        for (long j = 0; j < n; j++)
            f->h = (f->h ^ hbuf[j]) * 0x100000001b3;
    if (n <= 0) {   /* all hashed */
        f->hashing = 0;
        if (f->done != f->st.size) {   /* it changed while read: forget it */
            sc1(SYS_close, f->fd);
            f->st.ino = 0;
        }
        memcpy(f->body, hbuf, SMALL);   /* a small file's bytes, from its only read */
        char *p = put(f->meta, "ETag: \"");
        for (int i = 16; i--; f->h <<= 4)
            *p++ = "0123456789abcdef"[f->h >> 60];
        put(httpdate(put(p, "\"\r\nLast-Modified: "), f->st.mtime.sec), "\r\n");
    }
    return !f->hashing && known(f, &st) ? f : WAIT;   /* WAIT after a slice of another file */
}

/* The file rel[0..n) names, or its .gz twin for a client that takes gzip and asks no range. */
static struct file *lookup(char *rel, int n, struct req *q, int *gz, int *dir)
{
    struct file *f;
    *gz = 0;
    if (q->gzip && !q->hv[H_RANGE]) {
        put(rel + n, ".gz");
        f = get(rel, dir);
        rel[n] = 0;
        if (f) {
            *gz = 1;
            return f;
        }
    }
    return get(rel, dir);
}

/* Does an If-Match or If-None-Match list name our ETag (given with its quotes)?
 * If-Match compares strongly: W/"..." does not count. */
INLINE int tagged(struct req *q, int id, const char *tag)
{
    const char *v = q->hv[id];
    int n = q->hl[id];
    if (n == 1 && *v == '*')
        return 1;
    for (int i = 0; i + 18 <= n; i++)
        if (same(v + i, tag, 18) && !(id == H_IF_MATCH && i && v[i - 1] == '/'))
            return 1;
    return 0;
}

/* The first path line of the headers file at or after s, or its end. */
static const char *path_line(const char *s)
{
    while (s < lines_end && !(*s == '/' && s[-1] == '\n'))
        s++;
    return s;
}

/* Where the lines for the path "/" + rel[0..n) start in the headers file: after
 * the path line that names it (and the other path lines of its group), or 0. */
static const char *lines_for(const char *rel, int n)
{
    for (const char *s = paths - 1; s + n + 4 <= lines_end; s++)
        if (s[0] == '\n' && s[1] == '/' && same(s + 2, rel, n) && s[n + 2] == '\r') {
            for (s += n + 4; *s == '/';)
                while (*s && *s++ != '\n')
                    ;
            return s;
        }
    return 0;
}

/* Appends the headers file's lines for the file at rel, else those of "/" (the
 * files not listed): up to the next path line. */
INLINE char *block(char *p, const char *rel)
{
    const char *b = lines_for(rel, slen(rel));
    if (b || (b = lines_for("", 0)))
        p = copy(p, b, path_line(b));
    return p;
}

/* Builds the answer to one request into bufs[fd].out (and the body_ fields when the
 * body comes from the file): 1, or 0 when the file's hash is not done yet. Every answer
 * takes one path: status line, Content-Range, Content-Type and -Length, then the lines of
 * a file (its ETag, its headers file group) or of an error (Location, Allow), then the
 * lines every answer has. An error's body is its status text. */
TUNED("no-tree-coalesce-vars","no-caller-saves","expensive-optimizations","tree-forwprop","no-tree-dse","no-rerun-cse-after-loop")
static int respond(long fd, struct connection *c, struct req *q)
{
    struct file *f = 0;
    int dir, gz = 0, r = 0, page = 0, n = q->rellen;   /* page: 1 the SPA fallback, 2 the not-found page */
    unsigned long from = 0, to = 0, size = 0;
    char *rel = q->rel, *p;
    const char *msg = q->err, *status = "200 OK";   /* msg: an error, answered with its own text */

    if (!msg) {
        if (q->slash)
            n = put(rel + n, "index.html") - rel;
        f = lookup(rel, n, q, &gz, &dir);
        int moved = dir && !q->slash;   /* a directory named without its '/' */
        /* missing: -s for a client-side route (no '.' in its last segment), then -n */
        for (; page < 2 && !f && !moved; page++)
            if (pages[page] && (page || (!q->slash && !extension(rel))))
                f = lookup(rel, put(rel, pages[page]) - rel, q, &gz, &dir);
        if (f == WAIT)
            return 0;
        if (!f)
            msg = moved ? "301 Moved Permanently" : E404;
    }
    if (f) {
        const char *tag = f->meta + 6;
        unsigned long changed = http_date(f->meta + LAST_MODIFIED, 29, 0);
        to = (size = f->st.size) - 1;
        if (page == 2)   /* the not-found page: no preconditions, no range */
            status = E404;
        /* preconditions, in the order of RFC 9110 section 13.2.2 */
        else if (q->hv[H_IF_MATCH] ? !tagged(q, H_IF_MATCH, tag)
                                   : changed > http_date(q->hv[H_IF_UNMODIFIED_SINCE], q->hl[H_IF_UNMODIFIED_SINCE], -1))
            msg = "412 Precondition Failed";
        else if (q->hv[H_IF_NONE_MATCH] ? tagged(q, H_IF_NONE_MATCH, tag)
                                        : changed <= http_date(q->hv[H_IF_MODIFIED_SINCE], q->hl[H_IF_MODIFIED_SINCE], 0))
            status = "304 Not Modified", q->head = 2;
        else if (q->hv[H_RANGE] && (!q->hv[H_IF_RANGE] || (q->hl[H_IF_RANGE] == 18 && same(q->hv[H_IF_RANGE], tag, 18))))
            r = http_range(q->hv[H_RANGE], q->hl[H_RANGE], size, &from, &to);
        if (r > 0)
            status = "206 Partial Content";
        if (r < 0)
            msg = "416 Range Not Satisfiable";
    }
    unsigned long len = msg ? slen(msg) + 1 : to + 1 - from;
    p = fmt(bufs[fd].out, "HTTP/1.1 \1\r\n", (long)(msg ? msg : status));
    if (r > 0)
        p = fmt(p, "Content-Range: bytes \2-\2/\2\r\n", from, to, size);
    if (r < 0)
        p = fmt(p, "Content-Range: bytes */\2\r\n", size);
    if (q->head < 2)   /* 304: no Content-Type or -Length */
        p = fmt(mime_type(put(p, "Content-Type: "), msg ? ".txt" : rel), "\r\nContent-Length: \2\r\n", len);
    if (!msg)   /* an answer from the file: 200, 206, 304, or the not-found page's 404 */
        p = block(fmt(p, "\1Accept-Ranges: bytes\r\nVary: Accept-Encoding\r\n\1", (long)f->meta,
                      (long)(gz ? "Content-Encoding: gzip\r\n" : "")),
                  rel);
    else if (*msg == '3') {   /* Location: the path as sent, plus '/'; "//host" would leave the site */
        const char *s = q->path;
        while (s[1] == '/')
            s++;
        p = fmt(p, "Location: \3/\r\n", (long)s, (long)(q->path + q->pathlen));
    } else if (msg == E405)
        p = put(p, "Allow: GET, HEAD\r\n");
    c->keep = q->keep && !stopping;
    c->unread = q->body;
    p = fmt(p, "Date: \1\r\n\3\1\r\n", (long)date, (long)lines, (long)paths,
            (long)(c->keep ? "" : "Connection: close\r\n"));
    c->body_left = 0;
    if (!q->head) {
        if (msg)
            p = fmt(p, "\1\n", (long)msg);
        else if (size <= SMALL)
            p = copy(p, f->body + from, f->body + from + len);
        else
            c->body_fd = f->fd, c->body_off = from, c->body_left = len;
    }
    c->head = bufs[fd].out;
    c->head_end = p;
    c->state = SENDING;
    return 1;
}

/* Sends what is pending: 1 when the answer is complete, 0 when the socket is
 * full (an EPOLLOUT edge will follow), -1 when the connection is dead. */
static int push(int fd, struct connection *c)
{
    long n, head;
    while ((head = c->head_end - c->head) || c->body_left) {
        n = head ? sc6(SYS_sendto, fd, (long)c->head, head, c->body_left ? MSG_MORE : 0, 0, 0)
                 : sc4(SYS_sendfile, fd, c->body_fd, (long)&c->body_off, c->body_left);
        if (n <= 0)
            goto full;   /* 0: the file shrank, the promised length cannot be kept */
        touch(c);
        if (head ? (c->head += n) < c->head_end : (c->body_left -= n))
            goto full;   /* a short write: the socket is full */
    }
    if (c->owned)
        sc1(SYS_close, c->body_fd);
    c->owned = 0;
    return 1;
full:   /* -EAGAIN; any other error shows again (EPIPE, ECONNRESET) as EPOLLERR/HUP */
    if (c->body_left && !c->owned) {   /* the cache may close its descriptor before we resume */
        if ((c->body_fd = sc1(SYS_dup, c->body_fd)) < 0)
            return -1;
        c->owned = 1;
    }
    return n == -EAGAIN || n > 0 ? 0 : -1;
}

/* The last answer is out. Closing with unread bytes, or with a body still on its
 * way, would reset the connection (and could destroy the answer on its way): then
 * half-close it and read, and forget, what the client still sends, until it
 * closes or LINGER seconds pass. */
INLINE void finish(int fd, struct connection *c)
{
    if (!c->inlen && c->drained && !c->unread) {
        drop(fd);
        return;
    }
    sc2(SYS_shutdown, fd, SHUT_WR);
    c->state = LINGERING;
    c->inlen = 0;
    c->deadline = now + LINGER;
}

/* Everything the connection can do now: send what is pending, answer what it
 * asked (BURST answers per turn), read what it sent; until the socket is full
 * or empty, or the answer waits for a hash. */
static void serve(int fd, u32 events)
{
    static struct req q;
    struct connection *c = &conns[fd];
    char *in = bufs[fd].in;
    if (events & EPOLLIN)
        c->drained = 0;   /* a new edge: the socket has more */
    for (int answers = 0;;) {
        if (c->state == SENDING) {
            int r = push(fd, c);
            if (r < 0)
                break;
            if (!r)
                return;
            if (!c->keep) {
                finish(fd, c);
                if (!c->state)
                    return;
            } else {
                c->state = READING;
                touch(c);   /* idle from now on */
            }
        }
        int n = c->state == READING && c->inlen ? http_parse(in, c->inlen, &q) : 0;
        if (n) {
            /* After BURST answers the others have a turn; and an answer whose file is
               not hashed yet comes next turn (the request stays in its buffer). Re-arming
               re-reports the socket's readiness: that next turn comes at once. */
            if (answers++ == BURST || !respond(fd, c, &q)) {
                touch(c);
                ctl(EPOLL_CTL_MOD, fd, WATCH);
                return;
            }
            memmove(in, in + n, c->inlen -= n);
            continue;
        }
        if (c->drained)
            return;
        int room = REQ_MAX - c->inlen;
        long k = sc3(SYS_read, fd, (long)in + c->inlen, room);
        if (k == -EAGAIN)
            return;
        if (k <= 0)
            break;
        if (c->state == LINGERING)
            continue;   /* read and forgotten */
        if (!c->inlen)
            touch(c);   /* a new request: its head must arrive in time */
        c->drained = k < room && !(events & EPOLLRDHUP);
        c->inlen += k;
    }
    drop(fd);
}

/* Once a second: the Date header, and the connections that timed out (or,
 * when stopping, that sit idle). */
static void tick(void)
{
    struct timespec ts;
    sc2(SYS_clock_gettime, CLOCK_REALTIME, (long)&ts);
    if (ts.sec == now)
        return;
    httpdate(date, now = ts.sec);
    for (int fd = 0; fd < hi; fd++) {
        struct connection *c = &conns[fd];
        int idle = c->state == LINGERING || (c->state == READING && !c->inlen);
        if (c->state && (c->deadline <= now || (stopping && idle)))
            drop(fd);
    }
}

INLINE void event_loop(void)
{
    struct epoll_event ev[64];
    u64 mask = SIGBIT(SIGTERM) | SIGBIT(SIGINT);
    int sfd = sc4(SYS_signalfd4, -1, (long)&mask, 8, O_NONBLOCK);
    ep = sc1(SYS_epoll_create1, 0);
    ctl(EPOLL_CTL_ADD, lfd, EPOLLIN | EPOLLEXCLUSIVE);   /* one worker woken per connection */
    ctl(EPOLL_CTL_ADD, sfd, EPOLLIN | EPOLLONESHOT);   /* one SIGTERM is enough */
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
                struct connection *c = &conns[fd];
                c->state = READING;
                c->inlen = c->drained = 0;
                if (fd >= hi)
                    hi = fd + 1;
                touch(c);
                live++;
                serve(fd, 0);   /* the request is often there already: answer it right away, */
                if (c->state)   /* and watch the connection only if it stays open */
                    ctl(EPOLL_CTL_ADD, fd, WATCH);
            } else if (fd == sfd) {
                /* SIGTERM: stop accepting, pass it on, drop idle connections at once (tick
                   walks them when the time changes), finish the rest within DRAIN seconds */
                sc1(SYS_close, lfd);
                for (int k = 0; k < nkids; k++)
                    sc2(SYS_kill, kids[k], SIGTERM);
                stopping = now + DRAIN;
                now = 0;
                tick();
            } else if (conns[fd].state) {
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

/* -a, or any address: [::], or 0.0.0.0 where the kernel has no IPv6 */
static struct sockaddr_in6 addr;
static int pinned;   /* -a: that address or none */

INLINE int listener(void)
{
    long fd;
    while ((fd = sc3(SYS_socket, addr.family, SOCK_STREAM | SOCK_NONBLOCK, 0)) < 0 && addr.family == AF_INET6 &&
           !pinned)
        addr.family = AF_INET;   /* same layout up to the port, and any address is zeros in both */
    /* SO_REUSEADDR (a restart binds at once), TCP_NODELAY (inherited by accepted sockets),
       IPV6_V6ONLY off (IPv4 clients too, whatever net.ipv6.bindv6only says) */
    static const u8 opt[] = {SOL_SOCKET, SO_REUSEADDR, IPPROTO_TCP, TCP_NODELAY, IPPROTO_IPV6, IPV6_V6ONLY};
    for (int i = 0; i < 6; i += 2) {
        int v = i < 4;
        sc6(SYS_setsockopt, fd, opt[i], opt[i + 1], (long)&v, 4, 0);
    }
    if (sc3(SYS_bind, fd, (long)&addr, sizeof addr) < 0 || sc2(SYS_listen, fd, 4096) < 0)
        return -1;
    return fd;
}

/* The headers file (see README.md, "Headers file"), or the built-in one: lines
 * for every response, then path lines ("/..."), each group of them followed by
 * the lines for those files; the path "/" stands for the files not listed. */
INLINE void load_headers(const char *file)
{
    /* every line, the first too, follows a '\n' */
    long n = slen(lines = &"\nX-Content-Type-Options: nosniff\r\n/\r\nCache-Control: no-cache\r\n"[1]);
    if (file) {
        file_lines[0] = '\n';
        n = sc3(SYS_read, sc3(SYS_openat, AT_FDCWD, (long)file, O_RDONLY), (long)(lines = file_lines + 1), HDRS_MAX + 1);
        if (n < 0 || n > HDRS_MAX)
            die("cannot read headers file (16 KiB at most): ", file, 1);
    }
    lines_end = lines + n;
    paths = path_line(lines);
}

/* A worker per CPU of the affinity mask (256 at most), on the one listening socket. */
INLINE void fork_workers(void)
{
    u64 cpus[16];
    int n = 0, bits = 8 * sc3(SYS_sched_getaffinity, 0, sizeof cpus, (long)cpus);
    for (int i = 0; i < bits && n < 256; i++)
        n += cpus[i / 64] >> i % 64 & 1;
    while (--n > 0) {
        int pid = sc2(SYS_clone, SIGCHLD, 0);
        if (!pid) {   /* a worker: it ends with the first process */
            sc2(SYS_prctl, PR_SET_PDEATHSIG, SIGTERM);
            nkids = 0;
            return;
        }
        if (pid < 0)
            return;   /* fewer workers, then */
        kids[nkids++] = pid;
    }
}

/* The docroot, and its real path: what every file opened must lie under. */
INLINE void open_docroot(const char *path)
{
    droot = sc3(SYS_openat, AT_FDCWD, (long)path, O_RDONLY | O_DIRECTORY);
    rootlen = fdpath(droot, root);
    if (droot < 0 || (unsigned)(rootlen - 1) >= sizeof root - 1)   /* none, or too long a path */
        die("cannot open docroot: ", path, 1);
    if (rootlen == 1)
        rootlen = 0;   /* docroot "/" */
}

TUNED("tree-forwprop","no-tree-loop-im","no-tree-sink","no-tree-dce")
void start(long *sp)
{
    char **a = (char **)sp + 2;
    arg[ARG_PORT] = "8080";
    arg[ARG_DOCROOT] = "/site";
    int port;
    for (; *a; a += 2) {   /* later flags win */
        const char *o = a[0], *flags = "pdamsn";
        int i = 0;
        while (i < NARG && !(o[0] == '-' && o[1] == flags[i] && !o[2]))
            i++;
        if (i == NARG || !a[1] || slen(a[1]) > PATH_MAX_RAW)   /* pages go into a request's path buffer */
            die("usage: tinyhttpd [-p PORT] [-d DOCROOT] [-a ADDRESS] [-m HEADERSFILE] [-s SPAPAGE] [-n 404PAGE]", "", 2);
        arg[i] = a[1];
    }
    if ((port = port_number(arg[ARG_PORT])) < 0)
        die("bad port: ", arg[ARG_PORT], 2);
    addr.family = AF_INET6;
    addr.port = port >> 8 | port << 8;
    if ((pinned = !!arg[ARG_ADDRESS])) {   /* one address, IPv4 or IPv6 */
        int v = http_address(arg[ARG_ADDRESS], addr.addr);
        if (!v)
            die("bad address: ", arg[ARG_ADDRESS], 2);
        if (v == 4) {   /* sockaddr_in: the address right after the port */
            addr.family = AF_INET;
            memmove(&addr.flowinfo, addr.addr, 4);
        }
    }
    load_headers(arg[ARG_HEADERS]);
    open_docroot(arg[ARG_DOCROOT]);

    u64 lim[2], sigs = SIGBIT(SIGTERM) | SIGBIT(SIGINT) | SIGBIT(SIGPIPE);
    sc4(SYS_prlimit64, 0, RLIMIT_NOFILE, 0, (long)lim);   /* soft limit up to the hard one */
    lim[0] = lim[1];
    sc4(SYS_prlimit64, 0, RLIMIT_NOFILE, (long)lim, 0);
    /* stay under it: a connection over the cap is accepted and closed, where one over the
       limit would stay in the backlog and wake us in a loop */
    cap = MAXFD;
    if (lim[1] <= MAXFD)
        cap = lim[1] - 1;
    /* SIGTERM/SIGINT are read from a signalfd; SIGPIPE stays blocked: a vanished client is an EPIPE */
    sc4(SYS_rt_sigprocmask, SIG_BLOCK, (long)&sigs, 0, 8);
    if ((lfd = listener()) < 0)
        die("cannot listen on port ", arg[ARG_PORT], 1);
    say(1, "listening on port ", arg[ARG_PORT]);
    fork_workers();
    event_loop();
}

#ifdef HOSTED_MAIN
int main(int argc, char **argv)   /* the sanitizer build: libc starts it */
{
    (void)argc;
    start((long *)argv - 1);
}
#endif
