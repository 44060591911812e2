// The bulk of a base64 value decoded 16 characters at a time with SIMD (SSSE3, chosen at run
// time). Both decoders (base64.cpp, base64_stream.cpp) call it first and handle whatever it
// leaves with their scalar rules, so it only has to recognise the common case.
#pragma once

#include <cstddef>
#include <cstdint>

namespace pictor {

// Decodes the longest prefix of in made of whole 16-character blocks of the standard alphabet
// (A-Z a-z 0-9 + /: no whitespace, padding or URL-safe characters) and returns how many
// characters that was: a multiple of 16, and 0 on a CPU without SSSE3 or on another
// architecture. Writes 3 bytes per 4 characters to out and may write 4 bytes past them, so out
// needs size / 4 * 3 + 4 bytes of room.
size_t base64_decode_blocks(const unsigned char *in, size_t size, uint8_t *out);

// Both decoders' fast path: base64_decode_blocks, then whole groups of four alphabet characters
// one at a time, up to the first group holding anything else (whitespace, padding, a stray
// character) or fewer than four characters left. Returns the characters consumed (a multiple of
// 4; 3 bytes were written per 4); same room in out as base64_decode_blocks.
size_t base64_decode_groups(const unsigned char *in, size_t size, uint8_t *out);

} // namespace pictor
