/*
 * vireo-load: the guest's workload. Burns CPU at a given duty cycle on N threads, dirties memory
 * at a given rate over a working set, and prints one heartbeat line per second on stdout (the
 * serial console):
 *
 *   HB t=12 iters=123456789 rate=10.2M dirtyMiB=240 memTotalKiB=479612 memFreeKiB=401234 memAvailKiB=420000
 *
 * t        seconds since start
 * iters    loop iterations done by all burner threads (a CPU-time proxy the host can compare)
 * rate     iterations per second over the last second
 * dirtyMiB memory written so far, MiB
 * mem*KiB  the guest's /proc/meminfo MemTotal, MemFree and MemAvailable
 *
 * Options (all optional):
 *   -c PCT    CPU duty cycle of each burner thread, 0..100 (default 0)
 *   -t N      burner threads (default: online CPUs)
 *   -d MIBPS  memory dirtied per second, MiB (default 0)
 *   -w MIB    working set the dirtier writes over, MiB (default 64)
 *   -z        fill the working set with zero pages only (for page-sharing tests); default
 *             writes a pattern that differs per page and over time
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096UL
#define PERIOD_NS 100000000LL /* duty-cycle period of a burner: 100 ms */

static volatile uint64_t g_iters[64];
static volatile uint64_t g_dirty_bytes;
static int g_cpu_pct;
static int g_threads;
static double g_dirty_mibps;
static long g_ws_mib = 64;
static int g_zero;

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void sleep_ns(int64_t ns) {
    if (ns <= 0) {
        return;
    }
    struct timespec ts = {ns / 1000000000LL, ns % 1000000000LL};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static void *burner(void *arg) {
    long idx = (long)arg;
    uint64_t x = 88172645463325252ULL + (uint64_t)idx;
    uint64_t local = 0;
    for (;;) {
        int64_t start = now_ns();
        int64_t busy = PERIOD_NS * g_cpu_pct / 100;
        while (now_ns() - start < busy) {
            for (int i = 0; i < 4096; i++) { /* xorshift: pure integer work */
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
            }
            __asm__ volatile("" : "+r"(x)); /* the work must not be optimised away */
            local += 4096;
            g_iters[idx] = local;
        }
        sleep_ns(PERIOD_NS - (now_ns() - start));
    }
    return NULL;
}

static long meminfo_kib(const char *key) {
    FILE *f = fopen("/proc/meminfo", "r");
    if (f == NULL) {
        return -1;
    }
    char line[256];
    long value = -1;
    size_t klen = strlen(key);
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
            value = strtol(line + klen + 1, NULL, 10);
            break;
        }
    }
    fclose(f);
    return value;
}

static void *dirtier(void *arg) {
    (void)arg;
    long avail = meminfo_kib("MemAvailable");
    long ws = g_ws_mib;
    if (avail > 0 && ws * 1024 > avail - 32 * 1024) { /* leave the guest room to live */
        ws = (avail - 32 * 1024) / 1024;
    }
    if (ws < 1) {
        ws = 1;
    }
    size_t bytes = (size_t)ws << 20;
    unsigned char *mem = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED) {
        printf("VIREO-LOAD cannot map %ld MiB: %s\n", ws, strerror(errno));
        fflush(stdout);
        return NULL;
    }
    printf("VIREO-LOAD dirtying %.1f MiB/s over %ld MiB%s\n", g_dirty_mibps, ws, g_zero ? " (zero pages)" : "");
    fflush(stdout);
    size_t pages = bytes / PAGE;
    size_t next = 0;
    uint64_t stamp = 0;
    const int64_t tick = 10000000LL; /* 10 ms */
    double per_tick = g_dirty_mibps * 1048576.0 / PAGE / 100.0;
    double owed = 0;
    int64_t due = now_ns();
    for (;;) {
        owed += per_tick;
        stamp++;
        while (owed >= 1.0) {
            unsigned char *p = mem + next * PAGE;
            if (g_zero) {
                p[0] = 1; /* make the page private, then zero it again: dirty but mergeable */
                p[0] = 0;
            } else {
                uint64_t v = stamp * 0x9E3779B97F4A7C15ULL ^ next;
                memcpy(p + (next % 8) * 8, &v, sizeof v);
            }
            next = (next + 1) % pages;
            g_dirty_bytes += PAGE;
            owed -= 1.0;
        }
        due += tick;
        sleep_ns(due - now_ns());
    }
    return NULL;
}

static void usage(const char *self) {
    fprintf(stderr, "usage: %s [-c PCT] [-t N] [-d MIBPS] [-w MIB] [-z]\n", self);
    exit(2);
}

int main(int argc, char **argv) {
    int opt;
    g_threads = (int)sysconf(_SC_NPROCESSORS_ONLN);
    while ((opt = getopt(argc, argv, "c:t:d:w:z")) != -1) {
        switch (opt) {
        case 'c': g_cpu_pct = atoi(optarg); break;
        case 't': g_threads = atoi(optarg); break;
        case 'd': g_dirty_mibps = atof(optarg); break;
        case 'w': g_ws_mib = atol(optarg); break;
        case 'z': g_zero = 1; break;
        default: usage(argv[0]);
        }
    }
    if (g_cpu_pct < 0 || g_cpu_pct > 100 || g_threads < 1 || g_threads > 64 || g_dirty_mibps < 0 || g_ws_mib < 1) {
        usage(argv[0]);
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("VIREO-LOAD cpu=%d%% threads=%d dirty=%.1fMiB/s ws=%ldMiB\n", g_cpu_pct, g_threads, g_dirty_mibps, g_ws_mib);
    pthread_t t;
    if (g_cpu_pct > 0) {
        for (long i = 0; i < g_threads; i++) {
            pthread_create(&t, NULL, burner, (void *)i);
        }
    }
    if (g_dirty_mibps > 0) {
        pthread_create(&t, NULL, dirtier, NULL);
    }
    int64_t start = now_ns();
    uint64_t last = 0;
    for (long second = 1;; second++) {
        sleep_ns(start + second * 1000000000LL - now_ns());
        uint64_t iters = 0;
        for (int i = 0; i < g_threads && i < 64; i++) {
            iters += g_iters[i];
        }
        printf("HB t=%ld iters=%llu rate=%.1fM dirtyMiB=%llu memTotalKiB=%ld memFreeKiB=%ld memAvailKiB=%ld\n",
               second, (unsigned long long)iters, (iters - last) / 1e6,
               (unsigned long long)(g_dirty_bytes >> 20), meminfo_kib("MemTotal"), meminfo_kib("MemFree"),
               meminfo_kib("MemAvailable"));
        last = iters;
    }
}
