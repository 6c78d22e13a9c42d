/* SPDX-License-Identifier: GPL-3.0-only
 * api-latency SOCKET PATH N: N sequential GET requests (a new connection each, as the snap
 * client does), prints "p50_ms p99_ms max_ms" of the request-to-last-byte time.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: api-latency SOCKET PATH N\n");
        return 2;
    }
    int n = atoi(argv[3]);
    double *t = calloc((size_t)n, sizeof(double));
    char req[512], buf[65536];
    int rl = snprintf(req, sizeof(req),
                      "GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", argv[2]);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", argv[1]);
    for (int i = 0; i < n; i++) {
        double t0 = now_ms();
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
            write(fd, req, (size_t)rl) != rl) {
            perror("request");
            return 1;
        }
        size_t total = 0;
        ssize_t r;
        while ((r = read(fd, buf, sizeof(buf))) > 0) {
            total += (size_t)r;
        }
        close(fd);
        t[i] = now_ms() - t0;
        if (total == 0) {
            fprintf(stderr, "empty response\n");
            return 1;
        }
    }
    qsort(t, (size_t)n, sizeof(double), cmp);
    printf("%.3f %.3f %.3f\n", t[n / 2], t[(n * 99) / 100], t[n - 1]);
    free(t);
    return 0;
}
