/* test_lzf.c: unit tests for lzf.c.
 *
 * - Decompression of LZF streams written by redis-server 7.0 (the payload
 *   of DUMP on a compressible string with rdbcompression yes: RDB_ENC_LZF,
 *   compressed length, original length, data). The originals are rebuilt
 *   here from the same deterministic generator the capture script used.
 * - Round trips on random, compressible and degenerate inputs of many sizes,
 *   with exact output-capacity checks (the compressor's out_len bound is
 *   exact, and 0 is returned, never an overrun, when it does not fit).
 * - Corrupt streams (mutations, truncations, pure noise) decompressed into
 *   exact-size heap buffers: run under `make run SANITIZE=address`.
 * Fixed-seed PRNG, so failures reproduce.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lzf.h"
#include "test.h"

static uint64_t rngState = 0xD1B54A32D192ED03ull;

static uint64_t rnd(void) {
    rngState ^= rngState >> 12;
    rngState ^= rngState << 25;
    rngState ^= rngState >> 27;
    return rngState * 2685821657736338717ull;
}

static size_t hexDecode(const char *hex, unsigned char *out) {
    size_t n = strlen(hex) / 2;
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        sscanf(hex + 2 * i, "%2x", &v);
        out[i] = (unsigned char)v;
    }
    return n;
}

/* The capture script's text generator: words picked by a 31-bit LCG. */
static void genText(unsigned char *out, size_t n) {
    static const char *const words[] = {"redis ", "ringkv ", "listpack ", "a",
                                        "bb", "compress ", "0123456789", "zz "};
    uint64_t x = 12345;
    size_t len = 0;
    while (len < n) {
        x = (x * 1103515245u + 12345u) % (1u << 31);
        const char *w = words[(x >> 16) % 8];
        for (size_t i = 0; w[i] && len < n; i++) out[len++] = (unsigned char)w[i];
    }
}

/* original length, compressed length, compressed stream: redis-server 7.0. */
typedef struct redisVector {
    unsigned len;
    unsigned clen;
    const char *hex;
} redisVector;

static const redisVector redisVectors[] = {
    {100, 72,
     "1862626262636f6d7072657373206c6973747061636b207a7a20e00014e00008e0001de0"
     "0008e0001a0c62626130313233343536373839203c0d6172656469732072696e676b7620"},
    {300, 148,
     "1862626262636f6d7072657373206c6973747061636b207a7a20e00014e00008e0001de0"
     "0008e0001a0c62626130313233343536373839203c0c6172656469732072696e676b7620"
     "1de0002880172021a01a4009602ae00021208f2000e0000ee0006be0026080310061e000"
     "1ae00008204d2002e00489802ba06da006e00120a0108024a0b4e0007ae0000801626240"
     "27016b76"},
    {5000, 1654,
     "1862626262636f6d7072657373206c6973747061636b207a7a20e00014e00008e0001de0"
     "0008e0001a0c62626130313233343536373839203c0c6172656469732072696e676b7620"
     "1de0002880172021a01a4009602ae00021208f2000e0000ee0006be0026080310061e000"
     "1ae00008204d2002e00489802ba06da006e00120a0108024a0b4e0007ae00008016262c0"
     "2780cfa006e0046ae00153e0008de001122029e00043e00055e000080061201b6103e000"
     "39a06021070062e001e5e0014ee001092058e00120e000502036e10140a04be00133a010"
     "203a8075e001192012203920002008e0008be0011ee0025f8039a049e0002a20178120e0"
     "0133e0010980320061e102c6016262e00039e00008e00063e00008016161208de0000de0"
     "0028e009088060e00017e00179e1005fe00112e00109e0028fe10149804a8005e0007a80"
     "0ea2242093e00069e00bc7210a61d22027207e2005e0022d8019e00010e00060016161e0"
     "000a80226038800ae001b0e0034be0062fa17de00506e00139e0015ee001e9e000412056"
     "e00129e0009ba04a016262e0011b808f202ee0001b22a4e0021e8201e00057a00fe00051"
     "20fe8021e10235e0020aa01c8064e202c5206fe00052e0004b8025e0000ee003232174a0"
     "4ae0001e20a6e00042e001af2034e00646800e20d5e002f4e0042fe1013de00e500061e0"
     "012161c22063e00285200de00137e00017e00112201fe000a7808b20118008e007d22018"
     "2002e00043e004a5e10000e1035d6293e0005de0012fe0017d8022e10279e0002d206900"
     "61a08060c4e00076216b201be0000e2138c17b804ce00166800f8005e00024203ba056e0"
     "0728e0020f8233e00110e0006d804ca395e00015e00008e00131e008428039207de003e1"
     "e0003820c4e501430061c0f8e00033e002576153e0010fa08aa06e801da00ce00068a00f"
     "e0006ce00008214ae00149e00015e00908e00740e00336a0726096e1059920ebc016e000"
     "8ae0016ee00109e0006fe00025a06f803de00128800fa01c405d81a620c5a009e0012ae2"
     "0161e0005de20298e0021360b2204b2002e00215e00148e00109e40275e0030a20388097"
     "200823f3e0012fa093e000d4e00355e00014803ae00134e000838018a043e000152063a0"
     "122009407ae1025ae00024803ae00153e00109e00022203d8025e00011c2722019e00013"
     "200b2002a070e000b2e0014e201c2002a01fa006e0003cc2986218e00015a0258015e000"
     "52e0150ee001708027e401eea04de0005de0018de1036ce0001ee1022c8049a03f403660"
     "a64008a253e0009bc118e00110e00009e00008e20080a03d2255a7762008e201fce00088"
     "e00038e00011e00008a041e00021688fe10101e00027e00008e0073080c9e0013f20d3c0"
     "8ce00033e0001d802c80054029202c800ce00a718018e1087ce202f1203de10377e00219"
     "405be00074e00086a0bae0016be00109c175e0002be00008e00123a03e8097e0001fe000"
     "66a01ea287209be00022200be0012561f8e00154244c201e21318207e402342016200280"
     "2fe0004a802ee0013ee0061ee00027e00617e0017e8066a006e00147206922392000a019"
     "e1024be00013e00008e0021c8067e101a4e00068e00112c15a20620061266960ff200be0"
     "047be0010ce00040e00008e20affe0043ee00196e00032201fe1024820d5e3001de00168"
     "8088a0eea006618bc0a3e0004de003352059e00438200f2002e10076e00008e0003c201d"
     "803025ab200be002968016e10127e0093b21ece00098802de001bee00109a022e0081020"
     "6da01ae0093de0009e211aec01a6e00015e0008a8075e00017811f8014205ec1d9a066e0"
     "0026e00008a0188030e001a0e0005e207ce603c1a059a035e0012fe0004fe00908a02be0"
     "0051e00021e0013da022e2011de0011ae00109e00037a02de00a19e0006320b4e003b5e0"
     "0a2ae10253e0020aa05ae3023de00075e0000861556322e00a56e00025e0008ac181c1e1"
     "e00018e00008e001f6805620bbc254e0004ee602324272607e2088e00181e00109e00057"
     "e00008e00045a0de2038e002e1e0034fa020e0007fe00276a01a203b215a8080a012e001"
     "7a243ce0010c20c5e601e72036e00085200b206060c2e009a24381801b20268002a066a0"
     "06e000468025e0016fe0004be103cf6065e00032e00022e0084ba573602e8005c1b7e000"
     "3ce00169e00109e00050e10511a041e101d820c8e00462e00054e000408032e00159e00b"
     "09c092204dc00a2163a14ae00130201ee00056c01d805ea083c014e0019f201e0069"},
};

static void testRedisVectors(void) {
    for (size_t v = 0; v < sizeof(redisVectors) / sizeof(redisVectors[0]); v++) {
        const redisVector *rv = &redisVectors[v];
        unsigned char *c = malloc(rv->clen), *expect = malloc(rv->len);
        TEST_ASSERT_EQ(hexDecode(rv->hex, c), rv->clen);
        genText(expect, rv->len);
        unsigned char *out = malloc(rv->len);
        TEST_ASSERT_EQ(lzfDecompress(c, rv->clen, out, rv->len), rv->len);
        TEST_ASSERT(memcmp(out, expect, rv->len) == 0);
        /* One byte short of room: refused with E2BIG, nothing overrun. */
        unsigned char *small = malloc(rv->len - 1);
        errno = 0;
        TEST_ASSERT_EQ(lzfDecompress(c, rv->clen, small, rv->len - 1), 0);
        TEST_ASSERT_EQ(errno, E2BIG);
        /* Ours compresses it about as well (greedy, same format). */
        unsigned char *mine = malloc(rv->len);
        unsigned int mlen = lzfCompress(expect, rv->len, mine, rv->len - 4);
        TEST_ASSERT(mlen > 0 && mlen <= rv->clen + rv->clen / 4);
        TEST_ASSERT_EQ(lzfDecompress(mine, mlen, out, rv->len), rv->len);
        TEST_ASSERT(memcmp(out, expect, rv->len) == 0);
        free(c);
        free(expect);
        free(out);
        free(small);
        free(mine);
    }
}

/* Worst case for incompressible input: one control byte per 32 literals. */
static size_t maxCompressed(size_t n) {
    return n + (n + 31) / 32;
}

/* Compress into an exact-size buffer, check the bound is exact, decompress
 * into an exact-size buffer. Returns the compressed size. */
static unsigned roundTrip(const unsigned char *in, size_t n) {
    size_t cap = maxCompressed(n);
    unsigned char *c = malloc(cap ? cap : 1);
    unsigned clen = lzfCompress(in, (unsigned)n, c, (unsigned)cap);
    if (n == 0) {
        TEST_ASSERT_EQ(clen, 0);
        free(c);
        return 0;
    }
    TEST_ASSERT(clen > 0 && clen <= cap);
    /* The capacity check is exact: the same size fits, one less does not. */
    unsigned char *c2 = malloc(clen);
    TEST_ASSERT_EQ(lzfCompress(in, (unsigned)n, c2, clen), clen);
    TEST_ASSERT(memcmp(c, c2, clen) == 0);
    unsigned char *c3 = malloc(clen);
    TEST_ASSERT_EQ(lzfCompress(in, (unsigned)n, c3, clen - 1), 0);
    unsigned char *out = malloc(n);
    TEST_ASSERT_EQ(lzfDecompress(c, clen, out, (unsigned)n), n);
    TEST_ASSERT(memcmp(out, in, n) == 0);
    free(c);
    free(c2);
    free(c3);
    free(out);
    return clen;
}

static void testRoundTrips(void) {
    static const size_t sizes[] = {0, 1, 2, 3, 4, 5, 8, 31, 32, 33, 63, 64, 65, 100, 255, 256,
                                   257, 264, 265, 1000, 4096, 8191, 8192, 8193, 16385, 65536,
                                   100000, 300000};
    unsigned char *buf = malloc(300000);
    for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
        size_t n = sizes[s];
        /* Random bytes: incompressible. */
        for (size_t i = 0; i < n; i++) buf[i] = (unsigned char)rnd();
        roundTrip(buf, n);
        /* Zeros: one long overlapping reference after another. */
        memset(buf, 0, n);
        unsigned c = roundTrip(buf, n);
        if (n >= 1000) TEST_ASSERT(c < n / 50);
        /* Text. */
        genText(buf, n);
        c = roundTrip(buf, n);
        if (n >= 1000) TEST_ASSERT(c < n / 2);
        /* Small alphabet noise: many short matches. */
        for (size_t i = 0; i < n; i++) buf[i] = (unsigned char)('a' + rnd() % 4);
        roundTrip(buf, n);
        /* A random block repeated at distances around the 8192 limit. */
        size_t period = 8190 + rnd() % 5;
        for (size_t i = 0; i < n; i++) buf[i] = i < period ? (unsigned char)rnd() : buf[i - period];
        roundTrip(buf, n);
    }
    /* Random sizes and contents mixes. */
    for (int r = 0; r < 300; r++) {
        size_t n = rnd() % 3000;
        size_t i = 0;
        while (i < n) {
            size_t run = 1 + rnd() % 40;
            int kind = (int)(rnd() % 3);
            for (size_t k = 0; k < run && i < n; k++, i++) {
                if (kind == 0) buf[i] = (unsigned char)rnd();
                else if (kind == 1) buf[i] = 'x';
                else buf[i] = i >= 100 ? buf[i - 100] : 'y';
            }
        }
        roundTrip(buf, n);
    }
    free(buf);
}

static void testNotWorthIt(void) {
    /* The RDB writer's pattern: out_len = len - 4 means "only if it saves". */
    unsigned char in[100], out[96];
    for (int i = 0; i < 100; i++) in[i] = (unsigned char)rnd();
    TEST_ASSERT_EQ(lzfCompress(in, 100, out, 96), 0);
    TEST_ASSERT_EQ(lzfCompress(in, 0, out, 96), 0);
    TEST_ASSERT_EQ(lzfCompress(in, 100, out, 0), 0);
}

static void testCorruptInput(void) {
    unsigned char text[5000];
    genText(text, sizeof(text));
    unsigned char comp[6000];
    unsigned clen = lzfCompress(text, sizeof(text), comp, sizeof(comp));
    TEST_ASSERT(clen > 0);

    /* Hand-made invalid streams. */
    unsigned char out[64];
    errno = 0;
    TEST_ASSERT_EQ(lzfDecompress("\x05" "ab", 3, out, 64), 0); /* literal run past input */
    TEST_ASSERT_EQ(errno, EINVAL);
    errno = 0;
    TEST_ASSERT_EQ(lzfDecompress("\x00" "a" "\x20\x01", 4, out, 64), 0); /* ref before start */
    TEST_ASSERT_EQ(errno, EINVAL);
    TEST_ASSERT_EQ(lzfDecompress("\x00" "a" "\x20", 3, out, 64), 0); /* truncated ref */
    TEST_ASSERT_EQ(lzfDecompress("\x00" "a" "\xe0", 3, out, 64), 0); /* truncated long ref */
    TEST_ASSERT_EQ(lzfDecompress("\x00" "a" "\xe0\x00", 4, out, 64), 0);
    TEST_ASSERT_EQ(lzfDecompress("\x00" "a" "\x20\x00", 4, out, 64), 4); /* "a" + 3 more */
    TEST_ASSERT(memcmp(out, "aaaa", 4) == 0);
    TEST_ASSERT_EQ(lzfDecompress("\x00" "a" "\xe0\xff\x00", 5, out, 64), 0); /* 265 > 64 */
    TEST_ASSERT_EQ(errno, E2BIG);
    TEST_ASSERT_EQ(lzfDecompress("", 0, out, 64), 0);

    long ok = 0;
    for (int r = 0; r < 20000; r++) {
        unsigned len = clen;
        int kind = (int)(rnd() % 4);
        if (kind == 3) len = (unsigned)(rnd() % (clen + 1));
        unsigned char *bad = malloc(len ? len : 1);
        memcpy(bad, comp, len);
        if (len && kind != 3) {
            int flips = 1 + (int)(rnd() % 3);
            for (int f = 0; f < flips; f++) {
                size_t at = rnd() % len;
                if (kind == 0) bad[at] = (unsigned char)rnd();
                else bad[at] ^= (unsigned char)(1u << (rnd() % 8));
            }
        }
        /* Exact-size output buffers, both the right size and a random one. */
        unsigned olen = rnd() % 2 ? (unsigned)sizeof(text) : (unsigned)(rnd() % 6000);
        unsigned char *o = malloc(olen ? olen : 1);
        unsigned got = lzfDecompress(bad, len, o, olen);
        if (got) {
            ok++;
            TEST_ASSERT(got <= olen);
        }
        free(o);
        free(bad);
    }
    /* Pure noise. */
    for (int r = 0; r < 5000; r++) {
        unsigned len = (unsigned)(rnd() % 200);
        unsigned char *noise = malloc(len ? len : 1);
        for (unsigned i = 0; i < len; i++) noise[i] = (unsigned char)rnd();
        unsigned char *o = malloc(512);
        TEST_ASSERT(lzfDecompress(noise, len, o, 512) <= 512);
        free(o);
        free(noise);
    }
    printf("    fuzz: %ld of 20000 corrupted streams decoded to something\n", ok);
}

int main(void) {
    TEST_RUN(testRedisVectors);
    TEST_RUN(testRoundTrips);
    TEST_RUN(testNotWorthIt);
    TEST_RUN(testCorruptInput);
    return testReport();
}
