/* File extension -> Content-Type: a list of extensions, then \1 and their type (the
 * repeated parts cost little once compressed), and text types get "; charset=utf-8".
 * Unknown extensions are application/octet-stream, which, with nosniff,
 * browsers download rather than render. */
#include "http.h"

static const char types[] BYTES =
    "html\0htm\0\1text/html\0css\0\1text/css\0js\0mjs\0\1text/javascript\0"
    "json\0map\0\1application/json\0txt\0\1text/plain\0xml\0\1application/xml\0"
    "svg\0\1image/svg+xml\0png\0\1image/png\0jpg\0jpeg\0\1image/jpeg\0gif\0\1image/gif\0"
    "webp\0\1image/webp\0avif\0\1image/avif\0ico\0\1image/x-icon\0woff\0\1font/woff\0woff2\0\1font/woff2\0"
    "wasm\0\1application/wasm\0pdf\0\1application/pdf\0";

const char *extension(const char *name)
{
    const char *e = 0;
    for (; *name; name++)
        if (*name == '.')
            e = name + 1;
        else if (*name == '/')
            e = 0;
    return e;
}

char *mime_type(char *p, const char *name)
{
    const char *e = extension(name), *t = types, *v = "application/octet-stream";
    for (int n = e ? slen(e) : 0; n && *t; t += slen(t) + 1)   /* "x." has no extension */
        if (starts(e, n, t) == n) {   /* an extension (a type, after \1, never matches) */
            while (*t != 1)
                t += slen(t) + 1;
            v = t + 1;
            break;
        }
    p = put(p, v);
    return *v == 't' ? put(p, "; charset=utf-8") : p;
}
