/* fuzz_resp_parse_libfuzzer.c -- libFuzzer harness for the request parser
 * (resp_parse.c) alone, no server.  Built and run by `make -C tests/c fuzz`
 * (clang -fsanitize=fuzzer,address,undefined).
 *
 * One input is parsed twice: in one shot, and fed in chunks whose sizes come
 * from the input's first bytes.  Both runs must produce the same commands
 * and end the same way (the parser's result may not depend on how the
 * network split the bytes), and every call sees a heap buffer holding
 * exactly the bytes available, so ASan catches any read past them.  The
 * first byte also picks the limits (authenticated or not, a small
 * proto-max-bulk-len), so the limit checks are fuzzed too.  Memory is
 * checked with zmalloc's counter: nothing may stay allocated after
 * respParserFree. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "object.h"
#include "resp.h"
#include "rstr.h"
#include "zmalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Appends each command as "argc:len:bytes..." and the end state to t. */
static rstr feed(const uint8_t *in, size_t n, const uint8_t *cuts, size_t ncuts,
                 const respLimits *lim) {
    respParser p;
    respParserInit(&p);
    rstr t = rstrEmpty();
    char *buf = NULL;
    size_t len = 0, pos = 0, fed = 0, c = 0;
    int done = 0;
    while (!done && fed < n) {
        size_t chunk = c < ncuts ? (size_t)cuts[c] + 1 : n - fed;
        c++;
        if (chunk > n - fed) chunk = n - fed;
        char *nb = malloc(len + chunk);
        if (len) memcpy(nb, buf, len);
        memcpy(nb + len, in + fed, chunk);
        free(buf);
        buf = nb;
        len += chunk;
        fed += chunk;
        for (;;) {
            int r = respParse(&p, buf, len, &pos, lim);
            if (pos > len) __builtin_trap();
            if (r == RESP_PARSE_OK) {
                t = rstrCatPrintf(t, "%d", p.argc);
                for (int i = 0; i < p.argc; i++) {
                    char tmp[64];
                    size_t l;
                    const char *b = stringObjectBytes(p.argv[i], tmp, sizeof(tmp), &l);
                    t = rstrCatPrintf(t, ":%zu:", l);
                    t = rstrCatLen(t, b, l);
                }
                t = rstrCatLen(t, ";", 1);
                respParserReset(&p);
            } else if (r == RESP_PARSE_ERR) {
                if (p.error == NULL) __builtin_trap();
                t = rstrCatPrintf(t, "E%s", p.error);
                done = 1;
                break;
            } else {
                break;
            }
        }
        /* Compact like a server recycling its query buffer. */
        if (!done && pos) {
            char *rest = malloc(len - pos ? len - pos : 1);
            memcpy(rest, buf + pos, len - pos);
            free(buf);
            buf = rest;
            len -= pos;
            pos = 0;
        }
    }
    if (!done) t = rstrCatLen(t, "N", 1);
    free(buf);
    respParserFree(&p);
    return t;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    respLimits lim = {512LL * 1024 * 1024, 1};
    if (data[0] & 1) lim.authenticated = 0;
    if (data[0] & 2) lim.max_bulk_len = 64;
    size_t ncuts = (data[0] >> 2) & 15;
    if (ncuts > size - 1) ncuts = size - 1;
    const uint8_t *cuts = data + 1;
    const uint8_t *in = data + 1 + ncuts;
    size_t n = size - 1 - ncuts;

    size_t before = zmallocUsedMemory();
    rstr whole = feed(in, n, NULL, 0, &lim);
    rstr split = feed(in, n, cuts, ncuts, &lim);
    if (rstrCmp(whole, split) != 0) __builtin_trap();
    rstrFree(whole);
    rstrFree(split);
    if (zmallocUsedMemory() != before) __builtin_trap();
    return 0;
}
