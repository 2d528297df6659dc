/* The libcsv floor: parse part P of N of each file with libcsv and empty callbacks, counting fields.
 * Split points follow a line feed outside quotes (even quote count), as teampulse's chunks do.
 * Build: cc -O2 csvfloor.c -lcsv -o csvfloor. Run: csvfloor PART NPARTS FILE...            */
#include <csv.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static size_t fields, records;
static void on_field(void *s, size_t len, void *data) { (void)s; (void)len; (void)data; fields++; }
static void on_record(int c, void *data) { (void)c; (void)data; records++; }

/* First byte after a line feed at or after `target` that lies outside quotes. */
static size_t split_after(const unsigned char *p, size_t n, size_t target) {
    int inside = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '"') inside = !inside;
        else if (p[i] == '\n' && !inside && i >= target) return i + 1;
    }
    return n;
}

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: csvfloor PART NPARTS FILE...\n"); return 2; }
    int part = atoi(argv[1]), parts = atoi(argv[2]);
    for (int f = 3; f < argc; f++) {
        int fd = open(argv[f], O_RDONLY);
        struct stat st;
        if (fd < 0 || fstat(fd, &st) != 0) { perror(argv[f]); return 1; }
        size_t n = (size_t)st.st_size;
        const unsigned char *p = mmap(NULL, n, PROT_READ, MAP_PRIVATE, fd, 0);
        size_t begin = part == 0 ? 0 : split_after(p, n, n * part / parts);
        size_t end = part == parts - 1 ? n : split_after(p, n, n * (part + 1) / parts);
        struct csv_parser parser;
        csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI);
        csv_set_blk_size(&parser, 64 * 1024);
        if (csv_parse(&parser, p + begin, end - begin, on_field, on_record, NULL) != end - begin) {
            fprintf(stderr, "%s: %s\n", argv[f], csv_strerror(csv_error(&parser)));
            return 1;
        }
        csv_fini(&parser, on_field, on_record, NULL);
        csv_free(&parser);
        munmap((void *)p, n);
        close(fd);
    }
    printf("part %d/%d: %zu records, %zu fields\n", part, parts, records, fields);
    return 0;
}
