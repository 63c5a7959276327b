/* libFuzzer harness over the whole request -> response path of tinyhttpd.c,
 * against a model docroot, under AddressSanitizer and UBSan.
 *
 * The server's own code is included (one translation unit: its static functions
 * are reachable) and driven as its event loop would: each input is the byte stream
 * a client sends on one connection (a socketpair), then the client half-closes;
 * serve() runs until the connection is closed, and everything it wrote is read
 * back and checked against the model:
 *   - a sequence of well-formed answers, each status one the server may give;
 *   - every answer with an ETag is a file of the docroot whose FNV-1a is that ETag:
 *     a 200 carries exactly its bytes, a 206 exactly the range Content-Range names,
 *     the -n page's 404 the page; every error its status text;
 *   - every answer carries the -m lines for every response, and Date;
 *   - a file outside the docroot (reachable by an escaping symlink) never shows;
 *   - the connection is gone at the end (no slot, no descriptor left behind).
 * The parsers of http.c are also fed the raw input and checked for their own
 * invariants. Run: fuzz/run.sh [seconds]. */
#include "../src/main/c/tinyhttpd.c"

/* The few libc functions the harness uses, declared here: libc's headers would
 * clash with the server's own kernel definitions (struct timespec, O_DIRECTORY...). */
typedef unsigned long size_t;
typedef long ssize_t;
typedef unsigned char uint8_t;
void *malloc(size_t);
void free(void *);
void *memmem(const void *, size_t, const void *, size_t);
void *memchr(const void *, int, size_t);
int memcmp(const void *, const void *, size_t);
size_t strlen(const char *);
char *strcpy(char *, const char *);
size_t strcspn(const char *, const char *);
int strncasecmp(const char *, const char *, size_t);
unsigned long strtoul(const char *, char **, int);
int snprintf(char *, size_t, const char *, ...);
char *mkdtemp(char *);
int mkdir(const char *, unsigned);
int symlink(const char *, const char *);
int open(const char *, int, ...);
ssize_t write(int, const void *, size_t);
ssize_t read(int, void *, size_t);
int close(int);
int socketpair(int, int, int, int *);
int setsockopt(int, int, int, const void *, unsigned);
int shutdown(int, int);
int fcntl(int, int, ...);
#define AF_UNIX 1
#define F_SETFL 4
#define SO_SNDBUF 7
#define SO_RCVBUF 8
#define O_WRONLY 1
#define O_CREAT 0100
#define O_TRUNC 01000

#define CHECK(x) do { if (!(x)) { write(2, "broken: " #x "\n", sizeof "broken: " #x); __builtin_trap(); } } while (0)

#define SECRET "SECRET-OUTSIDE-THE-DOCROOT"
#define GLOBAL_LINE "X-Every: 1\r\n"

struct model { char etag[19]; char *bytes; long size; };
static struct model files[64];
static int nfiles;
static char base[64];

static void write_file(const char *path, const char *bytes, long size)
{
    int f = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    CHECK(f >= 0 && write(f, bytes, size) == size);
    close(f);
}

static void put_file(const char *rel, const char *bytes, long size)
{
    char path[256];
    snprintf(path, sizeof path, "%s/site/%s", base, rel);
    write_file(path, bytes, size);
    struct model *m = &files[nfiles++];
    unsigned long h = 0xcbf29ce484222325;
    for (long i = 0; i < size; i++)
        h = (h ^ (unsigned char)bytes[i]) * 0x100000001b3;
    snprintf(m->etag, sizeof m->etag, "\"%016lx\"", h);
    m->bytes = malloc(size ? size : 1);
    memcpy(m->bytes, bytes, size);
    m->size = size;
}

static void text_file(const char *rel, const char *text)
{
    put_file(rel, text, strlen(text));
}

/* The model docroot: small and big files, one over SLICE (hashed in turns), a
 * directory with and without index, a gzip twin, a 404 page, an SPA page, a
 * symlink inside and one out to a secret; the headers file beside it. */
static void build(void)
{
    strcpy(base, "/tmp/tinyhttpd-fuzz-XXXXXX");
    CHECK(mkdtemp(base));
    char path[256];
    snprintf(path, sizeof path, "%s/site", base);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/site/sub", base);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/site/empty", base);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/secret.txt", base);
    write_file(path, SECRET, strlen(SECRET));

    text_file("index.html", "<h1>home</h1>\n");
    text_file("a.txt", "0123456789abcdefghij");
    text_file("empty.txt", "");
    text_file("404.html", "<p>not found</p>");
    text_file("spa.html", "<div id=app></div>");
    text_file("sub/index.html", "sub index");
    text_file("sub/x.css", "b{}");
    text_file("with space.txt", "spaced");
    static char mid[3000], big[(SLICE * 5) / 4];
    for (size_t i = 0; i < sizeof mid; i++)
        mid[i] = 'a' + i % 26;
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (char)(i * 7 + i / 251);
    put_file("mid.js", mid, sizeof mid);
    put_file("big.bin", big, sizeof big);
    put_file("mid.js.gz", "\x1f\x8b not really", 13);
    snprintf(path, sizeof path, "%s/site/escape.txt", base);
    CHECK(!symlink("../secret.txt", path));
    snprintf(path, sizeof path, "%s/site/alias.txt", base);
    CHECK(!symlink("a.txt", path));

    snprintf(path, sizeof path, "%s/headers", base);
    static const char headers_file[] =
        GLOBAL_LINE "/\r\nX-Default: 1\r\n/mid.js\r\n/a.txt\r\nX-Listed: 1\r\n/404.html\r\nX-Page: 404\r\n";
    write_file(path, headers_file, sizeof headers_file - 1);
    static char headers[256], docroot[256];
    strcpy(headers, path);
    snprintf(docroot, sizeof docroot, "%s/site", base);
    arg[ARG_HEADERS] = headers;
    arg[ARG_NOTFOUND] = "404.html";
    arg[ARG_FALLBACK] = "spa.html";
    load_headers(arg[ARG_HEADERS]);
    open_docroot(docroot);
    tick();
}

static const struct model *by_etag(const char *v, int n)
{
    for (int i = 0; i < nfiles; i++)
        if (n == 18 && !memcmp(files[i].etag, v, 18))
            return &files[i];
    return 0;
}

/* The value of header name (with its ": ") in [h, e), or 0. */
static const char *field(const char *h, const char *e, const char *name, int *len)
{
    int n = strlen(name);
    for (const char *s = h; s + n <= e; s++)
        if ((s == h || s[-1] == '\n') && !strncasecmp(s, name, n)) {
            const char *v = s + n, *end = memchr(v, '\r', e - v);
            CHECK(end);
            *len = end - v;
            return v;
        }
    return 0;
}

/* The answers the server wrote: well-formed, and what the model says. When they
 * overflowed the buffer (pipelined requests for the big file), the ones it holds whole. */
static void check_answers(const char *o, long n, int overflow)
{
    const char *e = o + n;
    CHECK(!memmem(o, n, SECRET, strlen(SECRET)));
    while (o < e) {
        if (overflow && (e - o < 12 || !memmem(o, e - o, "\r\n\r\n", 4)))
            return;
        CHECK(e - o >= 12 && !memcmp(o, "HTTP/1.1 ", 9));
        int status = (int)strtoul(o + 9, 0, 10);
        static const int known[] = {200, 206, 301, 304, 400, 404, 405, 412, 414, 416, 431};
        int ok = 0;
        for (size_t i = 0; i < sizeof known / sizeof *known; i++)
            ok |= status == known[i];
        CHECK(ok);
        const char *end = memmem(o, e - o, "\r\n\r\n", 4);
        CHECK(end);
        end += 4;
        int len;
        const char *v = field(o, end, "Content-Length: ", &len);
        long cl = v ? (long)strtoul(v, 0, 10) : -1;
        CHECK(memmem(o, end - o, GLOBAL_LINE, strlen(GLOBAL_LINE)));
        CHECK(field(o, end, "Date: ", &len));
        const char *tag = field(o, end, "ETag: ", &len);
        const struct model *m = tag ? by_etag(tag, len) : 0;
        CHECK(!tag || m);   /* an ETag is always one of the model's files */
        CHECK(status == 304 ? cl < 0 : cl >= 0);
        /* no body: a 304, or a HEAD (the next answer, or the end, follows at once) */
        int head = status == 304 || (cl > 0 && (end == e || (e - end >= 9 && !memcmp(end, "HTTP/1.1 ", 9))));
        const char *body = end;
        if (!head) {
            if (overflow && e - end < cl)
                return;
            CHECK(e - end >= cl);   /* never a short body */
            end += cl;
        }
        if (status == 200 || (status == 404 && tag)) {
            CHECK(m && cl == m->size && (head || !memcmp(body, m->bytes, cl)));
        } else if (status == 206) {
            char *x;
            v = field(o, end, "Content-Range: bytes ", &len);
            CHECK(v);
            unsigned long from = strtoul(v, &x, 10), to = strtoul(x + 1, &x, 10), size = strtoul(x + 1, 0, 10);
            CHECK(m && size == (unsigned long)m->size && from <= to && to < size && cl == (long)(to - from + 1));
            CHECK(head || !memcmp(body, m->bytes + from, cl));
        } else if (status != 304 && !head) {   /* an error: its status text */
            v = o + 9;
            const char *eol = memchr(v, '\r', e - v);
            CHECK(eol && cl == eol - v + 1 && !memcmp(body, v, cl - 1) && body[cl - 1] == '\n');
        }
        o = end;
    }
}

static void check_rel(const char *rel, int len)
{
    CHECK(len >= 0 && len < REL_MAX && (int)strlen(rel) == len);
    for (int i = 0; i < len; i++)
        CHECK((unsigned char)rel[i] >= 32 && rel[i] != 127 && rel[i] != '\\');
    for (const char *s = rel; *s;) {   /* no empty (but a final '/'), "." or ".." segment */
        size_t n = strcspn(s, "/");
        CHECK(n > 0 && !(n == 1 && s[0] == '.') && !(n == 2 && s[0] == '.' && s[1] == '.'));
        s += n;
        s += *s == '/';
    }
}

/* The pure parsers on the raw input: bounds and invariants. */
static void check_parsers(const uint8_t *data, size_t size)
{
    static struct req r;
    char *b = malloc(size ? size : 1);   /* exactly sized: ASan sees any read past it */
    memcpy(b, data, size);
    int n = http_parse(b, (int)size, &r);
    CHECK(n >= 0 && n <= (int)size && !memcmp(b, data, size));   /* and the buffer untouched */
    if (n && !r.err) {
        CHECK(r.path && r.path[0] == '/');
        check_rel(r.rel, r.rellen);
    }
    for (int h = 0; n && h < NH; h++)
        CHECK(!r.hv[h] || (r.hv[h] >= b && r.hv[h] + r.hl[h] <= b + size && r.hl[h] >= 0));
    free(b);
    if (size < PATH_MAX_RAW) {
        char rel[REL_MAX];
        int slash = 0, len = http_path((const char *)data, (int)size, rel, &slash);
        if (len >= 0)
            check_rel(rel, len);
        unsigned long from = 7, to = 7;
        for (unsigned long s = 0; s < 40; s += 13) {
            int k = http_range((const char *)data, (int)size, s, &from, &to);
            CHECK(k >= -1 && k <= 1 && (k != 1 || (from <= to && to < s)));
        }
        http_date((const char *)data, (int)size, 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int runs;
    if (!nfiles)
        build();
    if (size > 3 * REQ_MAX)
        size = 3 * REQ_MAX;
    check_parsers(data, size);
    if (++runs % 97 == 0)   /* now and then forget every file: the cold paths again */
        for (int i = 0; i < NCACHE; i++)
            if (cache[i].st.ino) {
                close(cache[i].fd);
                memset(&cache[i], 0, sizeof cache[i]);
            }

    int sv[2];
    CHECK(!socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    int fd = sv[0], client = sv[1];
    CHECK(fd < MAXFD);
    int big = 1 << 20;
    setsockopt(client, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
    setsockopt(client, SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
    fcntl(fd, F_SETFL, O_NONBLOCK);
    fcntl(client, F_SETFL, O_NONBLOCK);
    CHECK(write(client, data, size) == (ssize_t)size || size == 0);
    shutdown(client, SHUT_WR);

    /* what accept() does, then turns of the event loop until the connection is gone */
    struct connection *c = &conns[fd];
    c->state = READING;
    c->inlen = c->drained = 0;
    if (fd >= hi)
        hi = fd + 1;
    touch(c);
    live++;
    static char out[8 << 20], rest[1 << 16];
    long got = 0, k;
    int overflow = 0;
    for (int turn = 0; turn < 100000; turn++) {
        if (c->state)
            serve(fd, EPOLLIN | EPOLLOUT | EPOLLRDHUP);
        while ((k = read(client, got < (long)sizeof out ? out + got : rest,
                         got < (long)sizeof out ? sizeof out - got : sizeof rest)) > 0)
            if (got < (long)sizeof out)
                got += k;
            else
                overflow = 1;
        if (!c->state)
            break;
    }
    CHECK(!c->state && !live);   /* it ends by itself: the client sent all and half-closed */
    close(client);
    check_answers(out, got, overflow);
    return 0;
}
