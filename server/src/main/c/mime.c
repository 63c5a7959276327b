/* File extension -> Content-Type: pairs of "ext\0" and "type\0" (the repeated
 * parts cost little once compressed), and text types get "; charset=utf-8".
 * Unknown extensions are application/octet-stream, which, with nosniff,
 * browsers download rather than render. */
#include "http.h"

static const char types[] BYTES =
    "html\0text/html\0htm\0text/html\0css\0text/css\0js\0text/javascript\0mjs\0text/javascript\0"
    "json\0application/json\0map\0application/json\0txt\0text/plain\0xml\0application/xml\0"
    "svg\0image/svg+xml\0png\0image/png\0jpg\0image/jpeg\0jpeg\0image/jpeg\0gif\0image/gif\0"
    "webp\0image/webp\0avif\0image/avif\0ico\0image/x-icon\0woff\0font/woff\0woff2\0font/woff2\0"
    "wasm\0application/wasm\0pdf\0application/pdf\0";

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
    for (int n = e ? slen(e) : 0; n && *t;) {   /* "x." has no extension */
        int hit = starts(e, n, t) == n;
        t += slen(t) + 1;
        if (hit) {
            v = t;
            break;
        }
        t += slen(t) + 1;
    }
    p = put(p, v);
    return *v == 't' ? put(p, "; charset=utf-8") : p;
}
