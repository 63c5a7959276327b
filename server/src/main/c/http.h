/* Request parsing, path normalisation, ranges and dates: pure functions, no I/O, no state
 * (what the table tests and the fuzzer drive). */
#ifndef HTTP_H
#define HTTP_H

#define REQ_MAX 8192   /* request line + headers; a longer request line is 414, longer headers 431 */
#define PATH_MAX_RAW 1024 /* raw path (before '?'); longer is 414 */
#define REL_MAX (PATH_MAX_RAW + 16) /* decoded path + "index.html" or ".gz" */

/* The request header fields the server reads. A field before H_LISTS may appear once:
 * a second one is 400 (two Hosts or two Content-Lengths are how requests get smuggled). */
enum { H_HOST, H_CONTENT_LENGTH, H_TRANSFER_ENCODING, H_RANGE, H_IF_RANGE, H_IF_MODIFIED_SINCE,
       H_IF_UNMODIFIED_SINCE, H_LISTS, H_IF_MATCH = H_LISTS, H_IF_NONE_MATCH, H_CONNECTION,
       H_ACCEPT_ENCODING, NH };

/* The fields used most come first, within 128 bytes of the start (x86_64 then addresses them
 * with one-byte displacements); the flags are bytes. */
struct req {
    const char *err;  /* 0 when servable, else the status line to answer with */
    const char *path;  /* raw path as sent, without the query (for Location), in the buffer */
    int len;          /* bytes of the request head, including empty lines before it and the final one */
    int pathlen;
    int rellen;
    int slash;        /* the path named a directory ('/' at the end): serve its index.html */
    char head;        /* HEAD: no body (2: nor Content-Type and -Length, for a 304) */
    char keep;        /* keep the connection open after the answer */
    char body;        /* a body was announced (it is not read) */
    char v10;         /* HTTP/1.0 */
    char gzip;        /* the client accepts gzip */
    int hl[NH]; const char *hv[NH];  /* the lengths of the header values, and the values (0 when absent) */
    char rel[REL_MAX];  /* decoded, normalised path under the docroot, NUL-ended */
};

/* for a small function with few callers that measured smaller inlined (-fno-inline is the rule) */
#define INLINE static inline __attribute__((always_inline))

/* Optimisation flags for one function, on top of the Makefile's: those that measured smaller
 * for that function (x86_64, gcc 12, -Oz; the binary's size only, never what it does). Not in
 * the debug builds, nor on aarch64, where the Makefile's flags were measured alone. */
#if defined(__x86_64__) && !defined(HOSTED) && !defined(__clang__)
#define TUNED(...) __attribute__((optimize(__VA_ARGS__)))
#else
#define TUNED(...)
#endif

/* byte-aligned tables: the ABI would pad each array of 16+ bytes to 16 */
#define BYTES __attribute__((aligned(1)))
extern const char E400[] BYTES, E404[] BYTES, E405[] BYTES, E414[] BYTES, E431[] BYTES;

/* Parses the request head at buf[0..n). Returns 0 when more bytes are needed,
 * else r->len (> 0); r->err says whether it can be served. Writes a NUL after
 * the path in buf. */
int http_parse(char *buf, int n, struct req *r);

/* Decodes and normalises a raw path into out (NUL-ended, relative, no "." or
 * ".." segments, no empty segments). Returns its length, or -1 for a path that
 * is malformed or would leave the root. Sets *slash when a directory was named. */
int http_path(const char *raw, int len, char *out, int *slash);

/* A single byte range of a representation of `size` bytes: 1 with [*from, *to]
 * filled, 0 to ignore the header (serve it all), -1 when unsatisfiable (416). */
int http_range(const char *v, int len, unsigned long size, unsigned long *from, unsigned long *to);

extern const char MONTHS[] BYTES;   /* "JanFeb...Dec" */

/* An IMF-fixdate as a number that orders like the times it names (not seconds since
 * 1970), or `bad` when v[0..len) is none. */
unsigned long http_date(const char *v, int len, unsigned long bad);

/* An IPv4 (a.b.c.d) or IPv6 (x:x::x) literal, its 4 or 16 bytes into addr: 4 or 6, or 0. */
int http_address(const char *s, unsigned char *addr);

/* The extension of the last segment of a path (after its last '.'), or 0 without a '.'. */
const char *extension(const char *name);

/* Appends the Content-Type value for the file name to p; returns the new end. */
char *mime_type(char *p, const char *name);

/* Small string helpers shared with the server. */
char *put(char *p, const char *s);   /* strcpy, returning the end (the NUL) */
int lower(int c);
int same(const void *a, const void *b, int n);
int slen(const char *s);
int starts(const char *s, int n, const char *w);   /* case-insensitive: strlen(w) when s[0..n) starts with w, else 0 */

#endif
