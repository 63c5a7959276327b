/* File extension -> Content-Type. Pairs of "ext\0" and "<major code><minor>\0";
 * the major code letter saves repeating "application/" and friends, and text
 * types get "; charset=utf-8". Unknown extensions are application/octet-stream,
 * which, with nosniff, browsers download rather than render. */
#include "http.h"

static const char types[] =
    "html\0thtml\0htm\0thtml\0css\0tcss\0js\0tjavascript\0mjs\0tjavascript\0"
    "json\0ajson\0map\0ajson\0txt\0tplain\0xml\0axml\0svg\0isvg+xml\0"
    "png\0ipng\0jpg\0ijpeg\0jpeg\0ijpeg\0gif\0igif\0webp\0iwebp\0avif\0iavif\0ico\0ix-icon\0"
    "woff\0fwoff\0woff2\0fwoff2\0ttf\0fttf\0otf\0fotf\0wasm\0awasm\0pdf\0apdf\0"
    "webmanifest\0amanifest+json\0mp4\0vmp4\0webm\0vwebm\0";

static const char majors[] = "ttext/\0iimage/\0aapplication/\0ffont/\0vvideo/\0";

char *mime_type(char *p, const char *name)
{
    const char *e = 0, *t = types, *v = "aoctet-stream";
    for (; *name; name++)
        if (*name == '.')
            e = name + 1;
        else if (*name == '/')
            e = 0;
    while (e && t < types + sizeof types - 1) {
        int i = 0;
        while (t[i] && lower(e[i]) == t[i])
            i++;
        int hit = !t[i] && !e[i];
        while (*t++)
            ;
        if (hit) {
            v = t;
            break;
        }
        while (*t++)
            ;
    }
    for (t = majors; *t != *v;)
        while (*t++)
            ;
    p = put(put(p, t + 1), v + 1);
    return *v == 't' ? put(p, "; charset=utf-8") : p;
}
