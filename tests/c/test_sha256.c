/* test_sha256.c: known-answer tests for sha256.c.
 *
 * The expected digests are the examples published with FIPS 180-4 (NIST's
 * "SHA256.pdf" example values): the empty message, "abc", the 448-bit
 * two-block message, and one million 'a'.  Two more check what the ACL code
 * depends on: the digest of "password" as Redis stores it in ACL rules, and
 * that feeding a message in pieces of every size gives the same digest as
 * one call (the partial-block path of sha256Update), including lengths
 * around the 55/56/64-byte padding boundaries. */
#include <stdio.h>
#include <string.h>

#include "sha256.h"
#include "test.h"

static int hexOf(const char *msg, size_t len, const char *expect) {
    char out[SHA256_HEX_LEN + 1];
    sha256Hex(msg, len, out);
    if (strcmp(out, expect) != 0) {
        fprintf(stderr, "  got %s\n  want %s\n", out, expect);
        return 0;
    }
    return 1;
}

static void testEmpty(void) {
    TEST_ASSERT(hexOf("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
}

static void testAbc(void) {
    TEST_ASSERT(hexOf("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
}

static void testTwoBlocks(void) {
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    TEST_ASSERT(hexOf(m, strlen(m), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
}

static void testMillionA(void) {
    static char a[1000];
    memset(a, 'a', sizeof(a));
    sha256Ctx ctx;
    uint8_t d[SHA256_DIGEST_LEN];
    sha256Init(&ctx);
    for (int i = 0; i < 1000; i++) sha256Update(&ctx, a, sizeof(a));
    sha256Final(&ctx, d);
    static const uint8_t want[SHA256_DIGEST_LEN] = {
        0xcd, 0xc7, 0x6e, 0x5c, 0x99, 0x14, 0xfb, 0x92, 0x81, 0xa1, 0xc7, 0xe2, 0x84, 0xd7, 0x3e, 0x67,
        0xf1, 0x80, 0x9a, 0x48, 0xa4, 0x97, 0x20, 0x0e, 0x04, 0x6d, 0x39, 0xcc, 0xc7, 0x11, 0x2c, 0xd0};
    TEST_ASSERT(memcmp(d, want, sizeof(want)) == 0);
}

/* "password" as `ACL SETUSER u >password` shows it on redis-server 7.0. */
static void testPasswordAsRedisStoresIt(void) {
    TEST_ASSERT(hexOf("password", 8, "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8"));
}

/* Incremental updates in chunks of 1..130 bytes agree with one-shot
 * hashing, for message lengths 0..200 (every padding case). */
static void testChunkedEqualsOneShot(void) {
    char msg[200];
    for (size_t i = 0; i < sizeof(msg); i++) msg[i] = (char)(i * 7 + 3);
    for (size_t len = 0; len <= sizeof(msg); len++) {
        char one[SHA256_HEX_LEN + 1];
        sha256Hex(msg, len, one);
        for (size_t chunk = 1; chunk <= 130; chunk += 3) {
            sha256Ctx ctx;
            uint8_t d[SHA256_DIGEST_LEN];
            char hex[SHA256_HEX_LEN + 1];
            sha256Init(&ctx);
            for (size_t off = 0; off < len; off += chunk)
                sha256Update(&ctx, msg + off, len - off < chunk ? len - off : chunk);
            sha256Final(&ctx, d);
            for (int i = 0; i < SHA256_DIGEST_LEN; i++) snprintf(hex + 2 * i, 3, "%02x", d[i]);
            TEST_ASSERT(strcmp(hex, one) == 0);
        }
    }
}

int main(void) {
    TEST_RUN(testEmpty);
    TEST_RUN(testAbc);
    TEST_RUN(testTwoBlocks);
    TEST_RUN(testMillionA);
    TEST_RUN(testPasswordAsRedisStoresIt);
    TEST_RUN(testChunkedEqualsOneShot);
    return testReport();
}
