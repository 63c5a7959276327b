/* libFuzzer harness over the request parser (http.c) and the MIME lookup (mime.c):
 * pure code, so every input is parsed in place from an exactly-sized heap copy
 * (AddressSanitizer catches any read past it), and the results are checked
 * against the invariants the server relies on. Run: fuzz/run.sh [seconds]. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "http.h"

#define CHECK(x) do { if (!(x)) __builtin_trap(); } while (0)

/* The normalised path stays under the docroot: relative, no "." or ".." or
 * empty segments, no NUL inside, no backslash, no control characters. */
static void check_rel(const char *rel, int len)
{
    CHECK(len >= 0 && len < REL_MAX && (int)strlen(rel) == len);
    for (int i = 0; i < len; i++)
        CHECK((unsigned char)rel[i] >= 32 && rel[i] != 127 && rel[i] != '\\');
    for (const char *s = rel; *s;) {   /* segments: none empty (a final '/' aside), none "." or ".." */
        size_t n = strcspn(s, "/");
        CHECK(n > 0);
        CHECK(!(n == 1 && s[0] == '.') && !(n == 2 && s[0] == '.' && s[1] == '.'));
        s += n;
        s += *s == '/';
    }
}

static void check_range(const char *v, int n)
{
    static const unsigned long sizes[] = {0, 1, 2, 10, 20, 1024, 1ul << 40};
    for (unsigned i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        unsigned long from = 7, to = 7;
        int r = http_range(v, n, sizes[i], &from, &to);
        CHECK(r >= -1 && r <= 1);
        if (r == 1)
            CHECK(from <= to && to < sizes[i]);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct req r;
    char out[REL_MAX + 64];
    if (size > REQ_MAX)
        size = REQ_MAX;
    char *b = malloc(size ? size : 1);
    memcpy(b, data, size);

    int n = http_parse(b, (int)size, &r);
    CHECK(n >= 0 && n <= (int)size);
    if (n) {
        CHECK(r.len == n);
        if (!r.err) {
            CHECK(r.path && r.path[0] == '/');
            check_rel(r.rel, r.rellen);
            char *end = mime_type(out, r.rel);
            CHECK(end > out && end < out + sizeof out);
        }
        for (int h = 0; h < NH; h++) {
            CHECK(!r.hv[h] || (r.hv[h] >= b && r.hv[h] + r.hl[h] <= b + size));
            CHECK(r.hl[h] >= 0);
        }
        if (r.hv[H_RANGE])
            check_range(r.hv[H_RANGE], r.hl[H_RANGE]);
    }
    free(b);

    /* the path decoder and the range parser on raw input too */
    if (size < PATH_MAX_RAW) {
        char *p = malloc(size ? size : 1), rel[REL_MAX];
        int slash = 0;
        memcpy(p, data, size);
        int len = http_path(p, (int)size, rel, &slash);
        if (len >= 0)
            check_rel(rel, len);
        check_range(p, (int)size);
        free(p);
    }
    return 0;
}
