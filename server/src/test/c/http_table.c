/* The pure parsers of http.c behind a line protocol, for the table tests
 * (HttpTableTest). One request per line on stdin, one answer per line on stdout:
 *   path RAW             ->  LEN SLASH REL      (or -1)
 *   range SIZE VALUE     ->  R FROM TO          (R: 1, 0 ignore, -1 unsatisfiable)
 *   date VALUE           ->  the ordering key   (or bad)
 *   address VALUE        ->  4 a.b.c.d | 6 xxxx:...:xxxx (all 8 groups) | 0
 * Built with libc and the sanitizers (make check-native). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http.h"

int main(void)
{
    char line[4096];
    setvbuf(stdout, 0, _IOLBF, 0);
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\n")] = 0;
        char *arg = strchr(line, ' ');
        arg = arg ? arg + 1 : line + strlen(line);
        if (!strncmp(line, "path ", 5)) {
            char rel[REL_MAX];
            int slash = 0, len = (int)strlen(arg);
            char *raw = malloc(len ? len : 1);   /* exactly sized: ASan sees any read past it */
            memcpy(raw, arg, len);
            int n = http_path(raw, len, rel, &slash);
            if (n < 0)
                printf("-1\n");
            else
                printf("%d %d %s\n", n, slash, rel);
            free(raw);
        } else if (!strncmp(line, "range ", 6)) {
            char *value;
            unsigned long size = strtoul(arg, &value, 10), from = 0, to = 0;
            value += *value == ' ';
            int len = (int)strlen(value);
            char *v = malloc(len ? len : 1);
            memcpy(v, value, len);
            int r = http_range(v, len, size, &from, &to);
            printf("%d %lu %lu\n", r, r == 1 ? from : 0, r == 1 ? to : 0);
            free(v);
        } else if (!strncmp(line, "date ", 5)) {
            int len = (int)strlen(arg);
            char *v = malloc(len ? len : 1);
            memcpy(v, arg, len);
            unsigned long k = http_date(v, len, 0);
            if (k)
                printf("%lu\n", k);
            else
                printf("bad\n");
            free(v);
        } else if (!strncmp(line, "address ", 8)) {
            unsigned char a[16];
            int v = http_address(arg, a);
            if (v == 4)
                printf("4 %d.%d.%d.%d\n", a[0], a[1], a[2], a[3]);
            else if (v == 6) {
                printf("6 ");
                for (int i = 0; i < 16; i += 2)
                    printf("%x%s", a[i] << 8 | a[i + 1], i < 14 ? ":" : "\n");
            } else
                printf("0\n");
        } else {
            printf("? %s\n", line);
        }
    }
    return 0;
}
