/* Request parsing and path normalisation (RFC 9112, RFC 3986): pure and
 * bounded, every read stays inside buf[0..n), nothing is allocated. */
#include "http.h"

void *memset(void *d, int c, unsigned long n);

const char E400[] BYTES = "400 Bad Request", E404[] BYTES = "404 Not Found",
           E405[] BYTES = "405 Method Not Allowed", E414[] BYTES = "414 URI Too Long", E431[] BYTES = "431 Request Header Fields Too Large";

int lower(int c) { return (unsigned)(c - 'A') < 26 ? c + 32 : c; }

char *put(char *p, const char *s)   /* copies the NUL too, returns where it is */
{
    while ((*p = *s++))
        p++;
    return p;
}

int same(const void *a, const void *b, int n)
{
    const char *x = a, *y = b;
    while (n--)
        if (*x++ != *y++)
            return 0;
    return 1;
}

int slen(const char *s)
{
    int n = 0;
    while (s[n])
        n++;
    return n;
}

/* Case-insensitive: length of the lowercase word w when s[0..n) starts with it, else 0. */
int starts(const char *s, int n, const char *w)
{
    int i = 0;
    for (; w[i]; i++)
        if (i >= n || lower(s[i]) != w[i])
            return 0;
    return i;
}

/* Case-insensitive search: index just after the first w in s[0..n), else 0. */
static int find(const char *s, int n, const char *w)
{
    for (int i = 0; i < n; i++) {
        int k = starts(s + i, n - i, w);
        if (k)
            return i + k;
    }
    return 0;
}

/* The end of a method or field name at s when there is one and c follows it, else 0.
 * Its characters: visible ASCII but ':' (which ends a field name). Stricter token
 * rules would add nothing a static server uses. */
static const char *token(const char *s, int c)
{
    const char *t = s;
    while (*t > 32 && *t < 127 && *t != ':')
        t++;
    return t > s && *t == c ? t : 0;
}

static int hex(int c)
{
    c = lower(c);
    return (unsigned)(c - '0') < 10 ? c - '0' : (unsigned)(c - 'a') < 6 ? c - 'a' + 10 : -1;
}

TUNED("expensive-optimizations","if-conversion")
int http_path(const char *s, int n, char *o, int *slash)
{
    int k = 0, seg = 0;
    for (int i = 0; i <= n; i++) {
        int c = '/';
        if (i < n) {
            c = (unsigned char)s[i];
            if (c == '%') {   /* decode first, then normalise: %2e%2e and %2f are ".." and "/" */
                c = i + 2 < n ? hex(s[i + 1]) * 16 | hex(s[i + 2]) : -1;   /* < 0 if not hex */
                i += 2;
            }
            /* NUL would cut the name short; '\' is a separator to some clients (open redirects) */
            if (c < 32 || c == 127 || c == '\\')
                return -1;
        }
        if (c != '/') {
            o[k++] = c;
            continue;
        }
        int len = k - seg, dots = len && len < 3 && o[seg] == '.' && o[k - 1] == '.';
        *slash = !len || dots;   /* a segment ends: drop "" and ".", pop for ".." */
        if (dots && len == 2) {
            if (seg == 0)
                return -1;   /* above the root */
            for (k = seg - 1; k > 0 && o[k - 1] != '/'; k--)
                ;
        } else if (*slash)
            k = seg;
        else
            o[k++] = '/';
        seg = k;
    }
    if (k && !*slash)
        k--;   /* a file name: no trailing '/' */
    o[k] = 0;
    return k;
}

TUNED("no-cse-follow-jumps")
int http_range(const char *v, int n, unsigned long size, unsigned long *from, unsigned long *to)
{
    unsigned long x[2] = {0, 0}, a, b;
    int got = 0, j = 0, i = starts(v, n, "bytes=");   /* got: 1 first, 2 last position given */
    if (!i)
        return 0;
    for (; i < n; i++)
        if (v[i] == '-' && !j)
            j = 1;
        else if ((unsigned)(v[i] - '0') > 9)
            return 0;   /* lists, spaces, junk: ignore the header */
        else {
            got |= 1 << j;
            if (!(x[j] >> 59))   /* saturate instead of overflowing */
                x[j] = x[j] * 10 + v[i] - '0';
        }
    a = x[0], b = x[1];
    if (!j || !got || (got == 3 && b < a))
        return 0;   /* invalid: ignore */
    if (got == 2) {   /* "-N": the last N bytes */
        if (!b)
            return -1;
        a = b >= size ? 0 : size - b;
    }
    if (a >= size)
        return -1;
    *from = a;
    *to = got == 3 && b < size ? b : size - 1;
    return 1;
}

/* An IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT", fixed positions) as the number
 * YYYY MM DD hh mm ss: it orders like the times it names. Every client sends this form
 * (it echoes Last-Modified); RFC 850 and asctime dates give `bad`, like any other text. */
const char MONTHS[] BYTES = "JanFebMarAprMayJunJulAugSepOctNovDec";

unsigned long http_date(const char *v, int n, unsigned long bad)
{
    static const unsigned char at[] BYTES = {12, 13, 14, 15, 8, 5, 6, 17, 18, 20, 21, 23, 24};   /* 8: the month */
    unsigned long k = 0;
    if (n != 29 || !same(v + 25, " GMT", 4))
        return bad;
    for (int i = 0; i < (int)sizeof at; i++) {
        int d = v[at[i]] - '0', m = 0;
        if (i == 4) {
            while (m < 12 && !same(v + 8, MONTHS + 3 * m, 3))
                m++;
            d = m;
            k *= 10;
        }
        if ((unsigned)d > 11 - 2 * (i != 4))
            return bad;
        k = k * 10 + d;
    }
    return k;
}

/* An IPv4 (a.b.c.d) or IPv6 (x:x::x) literal, its 4 or 16 bytes into a: 4 or 6, or 0. */
int http_address(const char *s, unsigned char *a)
{
    int n = 0, gap = -1, v, d, x;
    for (const char *t = s; n < 4; n++) {   /* IPv4: four numbers of 0 to 255 */
        for (v = d = 0; (unsigned)(*t - '0') < 10 && d++ < 3; t++)
            v = v * 10 + *t - '0';
        if (!d || v > 255 || *t++ != (n < 3 ? '.' : 0))
            break;
        a[n] = v;
    }
    if (n == 4)
        return 4;
    unsigned short g[8];   /* the groups as read; "::" stands for zeros at gap */
    if (*s == ':' && *++s != ':')
        return 0;   /* ':' first, but not "::" */
    for (n = 0; *s;) {   /* IPv6: hex groups of 16 bits; "::" once for zeros */
        if (*s == ':') {
            if (gap >= 0)
                return 0;
            gap = n;
            s++;
            continue;
        }
        for (v = d = 0; (x = hex(*s)) >= 0 && d++ < 4; s++)
            v = v * 16 + x;
        if (!d || n == 8 || (*s && *s != ':'))
            return 0;
        g[n++] = v;
        if (*s && !*++s)
            return 0;   /* a ':' at the end */
    }
    if ((gap < 0) != (n == 8))
        return 0;   /* eight groups, or fewer and "::" */
    if (gap < 0)
        gap = 8;
    for (int i = 0; i < 8; i++) {   /* big-endian */
        v = i < gap ? g[i] : i < gap + 8 - n ? 0 : g[i - 8 + n];
        a[2 * i] = v >> 8;
        a[2 * i + 1] = v;
    }
    return 6;
}

/* Does header field id contain the lowercase word w? (index after it, or 0) */
INLINE int has(struct req *r, int id, const char *w)
{
    return find(r->hv[id], r->hl[id], w);
}

/* lowercase names, in the order of the H_ constants */
static const char names[] BYTES = "host\0content-length\0transfer-encoding\0range\0if-range\0"
                                  "if-modified-since\0if-unmodified-since\0if-match\0if-none-match\0"
                                  "connection\0accept-encoding\0";

TUNED("tree-tail-merge")
int http_parse(char *b, int n, struct req *r)
{
    const char *e = b + n, *p = b, *s, *t = 0, *te = 0, *v, *l, *k;
    memset(r, 0, r->rel - (char *)r);   /* all but rel[] */
    while (p < e && (*p == '\r' || *p == '\n'))
        p++;   /* empty lines before a request line are ignored (RFC 9112 section 2.2) */
    r->err = E400;
    for (s = p;; s = l + 1) {   /* line by line: a fault is answered at once (the connection then closes) */
        for (l = s; l < e && *l != '\n'; l++)
            ;
        if (l == e) {   /* the head is not complete */
            if (n < REQ_MAX)
                return 0;
            r->err = s == p ? E414 : E431;
            return r->len = n;
        }
        r->len = l + 1 - b;
        for (v = l; v > s && (v[-1] == '\r' || v[-1] == ' ' || v[-1] == '\t'); v--)
            ;
        if (s == p) {   /* request line: method SP target SP HTTP/1.x */
            if (!(t = token(p, ' ')))
                return r->len;
            for (te = ++t; *te > 32 && *te < 127; te++)
                ;
            if (!same(te, " HTTP/1.", 8) || (unsigned)(te[8] - '0') > 9 || te + 9 != l - (l[-1] == '\r'))
                return r->len;
            r->v10 = te[8] == '0';
            continue;
        }
        if (l - s - (l[-1] == '\r') <= 0)
            break;   /* the empty line: the end of the head */
        /* header field: name ":" OWS value OWS */
        if (!(k = token(s, ':')))
            return r->len;   /* also obs-fold (a leading space) and space before ':' */
        int id = 0, nlen = k - s;
        for (const char *w = names; *w && starts(s, nlen, w) != nlen; w += slen(w) + 1)
            id++;
        while (++k < v && (*k == ' ' || *k == '\t'))
            ;
        for (const char *j = k; j < v; j++)   /* control characters, a lone CR; in Host any space */
            if (((unsigned char)*j < 32 + (id == H_HOST) && (*j != '\t' || id == H_HOST)) || *j == 127)
                return r->len;
        if (id < NH) {
            if (id < H_LISTS && r->hv[id])
                return r->len;   /* a second Host, Content-Length...: which one is meant? */
            r->hv[id] = k, r->hl[id] = v - k;
        }
    }
    if (!r->v10 && !r->hv[H_HOST])
        return r->len;   /* HTTP/1.1 needs a Host */
    /* A body is framed by a Content-Length of 1 to 18 digits (no sign, list or overflow).
     * Transfer-Encoding is refused: the server reads no body, and a chunked one it could not
     * skip (RFC 9112 section 6.3). */
    int cl = r->hl[H_CONTENT_LENGTH];
    k = r->hv[H_CONTENT_LENGTH];
    if (r->hv[H_TRANSFER_ENCODING] || (k && (unsigned)(cl - 1) > 17))
        return r->len;
    for (int i = 0; i < cl; i++) {
        if ((unsigned)(k[i] - '0') > 9)
            return r->len;
        r->body |= k[i] != '0';
    }
    /* HTTP/1.1 keeps the connection unless asked otherwise; a body we do not read ends it too */
    r->keep = !r->body && !r->v10 && !has(r, H_CONNECTION, "close");
    k = r->hv[H_ACCEPT_ENCODING];
    int al = r->hl[H_ACCEPT_ENCODING], g = has(r, H_ACCEPT_ENCODING, "gzip");
    if (g)   /* "gzip;q=0" refuses it */
        for (r->gzip = 1; g < al && k[g] != ','; g++)
            r->gzip = k[g] == '=' ? 0 : (unsigned)(k[g] - '1') < 9 ? 1 : r->gzip;

    r->err = E405;   /* a static server serves GET and HEAD, whatever else is asked */
    r->head = same(p, "HEAD ", 5);
    if (!same(p, "GET ", 4) && !r->head)
        return r->len;

    /* target: origin-form, or absolute-form (http://host/path); the query is no part of the name */
    r->err = E400;
    if (*t != '/') {
        int a = find(t, te - t, "://");
        if (!a)
            goto bad;
        for (t += a; t < te && *t != '/'; t++)
            ;
        if (t == te)
            t = "/", te = t + 1;
    }
    for (k = t; k < te && *k != '?'; k++)
        ;
    r->path = t;   /* the buffer is left as it is: a request may be parsed again */
    r->pathlen = k - t;
    r->err = k - t > PATH_MAX_RAW ? E414 : (r->rellen = http_path(t, k - t, r->rel, &r->slash)) < 0 ? E400 : 0;
bad:
    if (r->err)
        r->keep = 0;   /* after a 400 or 414 the stream cannot be trusted */
    return r->len;
}
