/* lzf.h -- LZF compression, compatible with liblzf's format.
 *
 * Redis stores compressed strings in RDB files as LZF (RDB_ENC_LZF), so the
 * snapshot code needs this exact format, in both directions. The stream is
 * a sequence of:
 *
 *   000LLLLL <L+1 literal bytes>                literal run of 1..32 bytes
 *   LLLooooo oooooooo                           copy L+2 bytes (L 1..6) from
 *                                               o+1 bytes back
 *   111ooooo LLLLLLLL oooooooo                  copy L+9 bytes (9..264) from
 *                                               o+1 bytes back (o < 8192)
 *
 * The compressor is greedy with a hash table of recent 3-byte prefixes; its
 * output need not equal liblzf's byte for byte (any valid stream decodes
 * identically). Neither direction allocates memory.
 */
#ifndef RINGKV_LZF_H
#define RINGKV_LZF_H

/* Compresses in_len bytes into out (capacity out_len). Returns the
 * compressed size, or 0 if the output would not fit in out_len bytes (also
 * for in_len == 0). Callers usually pass out_len < in_len so that 0 means
 * "not worth compressing". */
unsigned int lzfCompress(const void *in, unsigned int in_len, void *out, unsigned int out_len);

/* Decompresses in_len bytes into out (capacity out_len). Returns the
 * decompressed size, or 0 on error: corrupt input (errno EINVAL) or output
 * larger than out_len (errno E2BIG). Safe on untrusted input: never reads
 * or writes out of bounds. */
unsigned int lzfDecompress(const void *in, unsigned int in_len, void *out, unsigned int out_len);

#endif
