/* lzf.c -- LZF compression and decompression (stream format in lzf.h).
 *
 * Used by the snapshot code for RDB_ENC_LZF strings, so the format is fixed
 * by liblzf; the code is ours.
 *
 * Compressor: a single greedy pass. A hash table maps the hash of the 3
 * bytes at each position to the last position (+1, so 0 means empty) that
 * had it; a candidate is used only after checking its 3 bytes and its
 * distance, so collisions cost ratio, never correctness. The table lives on
 * the stack and only its first 2^hlog slots are used, with hlog chosen from
 * the input size, so compressing a 30-byte value does not clear 64 KB.
 * Literal runs are opened lazily: a control byte is reserved only when the
 * first literal of a run is written, so the output is exactly as long as
 * needed and the out_len check is exact.
 *
 * Decompressor: every length is checked against both the remaining input
 * and the remaining output before any byte is copied, and every back
 * reference against the bytes produced so far, so corrupt or hostile input
 * gives 0 (errno EINVAL / E2BIG) instead of an overrun.
 */
#include "lzf.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#define LZF_HLOG_MAX 14 /* 16384 slots * 4 bytes = 64 KB of stack */
#define LZF_HLOG_MIN 8
#define LZF_MAX_LIT 32          /* longest literal run */
#define LZF_MAX_OFF (1u << 13)  /* back references reach 8192 bytes back */
#define LZF_MAX_REF (8u + 256u) /* longest match: len field 7 + 255, plus 2 */

static inline uint32_t lzfHash(const unsigned char *p, unsigned hlog) {
    uint32_t v = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
    return (v * 2654435761u) >> (32 - hlog);
}

unsigned int lzfCompress(const void *in, unsigned int in_len, void *out, unsigned int out_len) {
    uint32_t htab[1u << LZF_HLOG_MAX];
    const unsigned char *base = in, *ip = base, *in_end = base + in_len;
    unsigned char *op = out, *out_end = op + out_len;
    unsigned char *lit_ctrl = NULL; /* control byte of the open literal run */
    unsigned lit = 0;               /* literals in the open run */
    unsigned hlog = LZF_HLOG_MIN;

    if (in_len == 0 || out_len == 0) return 0;
    while (hlog < LZF_HLOG_MAX && (1u << hlog) < in_len) hlog++;
    memset(htab, 0, sizeof(uint32_t) << hlog);

    while (ip < in_end) {
        if (in_end - ip >= 3) {
            uint32_t h = lzfHash(ip, hlog);
            uint32_t cand = htab[h];
            htab[h] = (uint32_t)(ip - base) + 1;
            if (cand) {
                const unsigned char *ref = base + cand - 1;
                size_t off = (size_t)(ip - ref) - 1;
                if (off < LZF_MAX_OFF && ref[0] == ip[0] && ref[1] == ip[1] && ref[2] == ip[2]) {
                    size_t maxlen = (size_t)(in_end - ip);
                    size_t len = 3;
                    if (maxlen > LZF_MAX_REF) maxlen = LZF_MAX_REF;
                    while (len < maxlen && ref[len] == ip[len]) len++;

                    /* Close the literal run, then emit the reference. */
                    if (lit) {
                        *lit_ctrl = (unsigned char)(lit - 1);
                        lit = 0;
                    }
                    size_t code = len - 2; /* 1..262 */
                    size_t need = code < 7 ? 2 : 3;
                    if ((size_t)(out_end - op) < need) return 0;
                    if (code < 7) {
                        *op++ = (unsigned char)((code << 5) | (off >> 8));
                    } else {
                        *op++ = (unsigned char)((7u << 5) | (off >> 8));
                        *op++ = (unsigned char)(code - 7);
                    }
                    *op++ = (unsigned char)(off & 0xff);
                    ip += len;
                    /* Index the last two positions of the match so that a
                     * repetition right after it is found. */
                    for (const unsigned char *q = ip - 2; q < ip; q++)
                        if (in_end - q >= 3) htab[lzfHash(q, hlog)] = (uint32_t)(q - base) + 1;
                    continue;
                }
            }
        }
        /* Literal byte. */
        if (lit == 0) {
            if (op == out_end) return 0;
            lit_ctrl = op++;
        }
        if (op == out_end) return 0;
        *op++ = *ip++;
        if (++lit == LZF_MAX_LIT) {
            *lit_ctrl = LZF_MAX_LIT - 1;
            lit = 0;
        }
    }
    if (lit) *lit_ctrl = (unsigned char)(lit - 1);
    return (unsigned int)(op - (unsigned char *)out);
}

unsigned int lzfDecompress(const void *in, unsigned int in_len, void *out, unsigned int out_len) {
    const unsigned char *ip = in, *in_end = ip + in_len;
    unsigned char *obase = out, *op = obase, *out_end = obase + out_len;

    while (ip < in_end) {
        unsigned ctrl = *ip++;
        if (ctrl < 32) {
            size_t len = ctrl + 1;
            if ((size_t)(out_end - op) < len) {
                errno = E2BIG;
                return 0;
            }
            if ((size_t)(in_end - ip) < len) {
                errno = EINVAL;
                return 0;
            }
            memcpy(op, ip, len);
            op += len;
            ip += len;
        } else {
            size_t len = ctrl >> 5;
            if (len == 7) {
                if (ip == in_end) {
                    errno = EINVAL;
                    return 0;
                }
                len += *ip++;
            }
            len += 2;
            if (ip == in_end) {
                errno = EINVAL;
                return 0;
            }
            size_t off = ((size_t)(ctrl & 0x1f) << 8) + *ip++ + 1;
            if ((size_t)(out_end - op) < len) {
                errno = E2BIG;
                return 0;
            }
            if (off > (size_t)(op - obase)) {
                errno = EINVAL;
                return 0;
            }
            const unsigned char *ref = op - off;
            if (off >= len) {
                memcpy(op, ref, len);
                op += len;
            } else {
                /* Overlapping copy repeats the last off bytes: byte by byte. */
                while (len--) *op++ = *ref++;
            }
        }
    }
    return (unsigned int)(op - obase);
}
