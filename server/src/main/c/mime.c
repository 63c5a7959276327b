/* File extension -> Content-Type. Triples of "ext\0", a major type code letter
 * and "minor\0", where an empty minor means the extension itself: the code
 * saves repeating "application/" and friends, and text types get
 * "; charset=utf-8". Unknown extensions are application/octet-stream, which,
 * with nosniff, browsers download rather than render. */
#include "http.h"

static const char types[] BYTES =
    "html\0t\0htm\0thtml\0css\0t\0js\0tjavascript\0mjs\0tjavascript\0json\0a\0map\0ajson\0"
    "txt\0tplain\0xml\0a\0svg\0isvg+xml\0png\0i\0jpg\0ijpeg\0jpeg\0i\0gif\0i\0webp\0i\0avif\0i\0"
    "ico\0ix-icon\0woff\0f\0woff2\0f\0wasm\0a\0pdf\0a\0";

static const char majors[] BYTES = "ttext/\0iimage/\0aapplication/\0ffont/\0";

char *mime_type(char *p, const char *name)
{
    const char *e = 0, *t = types, *v = "aoctet-stream", *ext = 0;
    for (; *name; name++)
        if (*name == '.')
            e = name + 1;
        else if (*name == '/')
            e = 0;
    while (e && *t) {
        int i = 0;
        while (t[i] && lower(e[i]) == t[i])
            i++;
        ext = t;
        t += slen(t) + 1;
        if (!ext[i] && !e[i]) {
            v = t;
            break;
        }
        t += slen(t) + 1;
    }
    for (t = majors; *t != *v;)
        t += slen(t) + 1;
    p = put(put(p, t + 1), v[1] ? v + 1 : ext);
    return *v == 't' ? put(p, "; charset=utf-8") : p;
}
