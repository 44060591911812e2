// What base64 decoding accepts, shared by the whole-buffer decoder (base64.cpp) and the
// streaming one (base64_stream.cpp) so the two cannot disagree on a character or a message.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace pictor {
namespace base64_alphabet {

constexpr uint8_t kSpace = 0x80;   // skipped wherever it appears
constexpr uint8_t kPad = 0x81;     // '=': only at the end
constexpr uint8_t kInvalid = 0xff;

// One lookup per character; the high bit marks everything that is not a 6-bit value, so the
// fast path tests four characters with one OR.
constexpr std::array<uint8_t, 256> make_decode_table() {
    std::array<uint8_t, 256> table{};
    for (auto &entry : table) entry = kInvalid;
    const char *standard = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (uint8_t i = 0; i < 64; ++i) table[uint8_t(standard[i])] = i;
    // URL-safe alphabet (RFC 4648 §5); a gateway may use either, so both decode.
    table[uint8_t('-')] = 62;
    table[uint8_t('_')] = 63;
    for (char c : {' ', '\t', '\n', '\r', '\f', '\v'}) table[uint8_t(c)] = kSpace;
    table[uint8_t('=')] = kPad;
    return table;
}

inline constexpr std::array<uint8_t, 256> kDecode = make_decode_table();

inline constexpr char kEncode[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Error(bad_response) naming the character and its offset.
[[noreturn]] void throw_corrupt(const char *what, unsigned char c, size_t offset);

// Error(bad_response): one character left over, so the value was cut short.
[[noreturn]] void throw_truncated(size_t offset);

} // namespace base64_alphabet
} // namespace pictor
