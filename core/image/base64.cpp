#include "image/base64.hpp"

#include "error.hpp"
#include "image/base64_alphabet.hpp"
#include "image/base64_blocks.hpp"

namespace pictor {

namespace {

using namespace base64_alphabet; // the table and the error messages

// After the first '=': only more '=' (no more than the group needs) and whitespace may follow.
void check_padding(const unsigned char *in, size_t size, size_t offset, int group_chars) {
    int pads = 0;
    for (size_t i = offset; i < size; ++i) {
        const uint8_t v = kDecode[in[i]];
        if (v == kSpace) continue;
        if (v != kPad) throw_corrupt("character after the '=' padding", in[i], i);
        if (++pads > 4 - group_chars) throw_corrupt("excess padding", in[i], i);
    }
}

} // namespace

std::vector<uint8_t> base64_decode(std::string_view text) {
    const auto *in = reinterpret_cast<const unsigned char *>(text.data());
    const size_t size = text.size();
    // Every 4 characters give at most 3 bytes; the tail group at most 2 more, and
    // base64_decode_blocks may write 4 bytes past its own.
    std::vector<uint8_t> out(size / 4 * 3 + 4);
    uint8_t *o = out.data();

    uint32_t group = 0;      // the 6-bit values of a group split by whitespace
    int group_chars = 0;
    size_t last_char_offset = 0;
    size_t i = 0;
    while (i < size) {
        if (group_chars == 0) {
            // Fast path: whole groups of four alphabet characters, no whitespace.
            const size_t groups = base64_decode_groups(in + i, size - i, o);
            i += groups;
            o += groups / 4 * 3;
            if (i == size) break;
        }
        const uint8_t v = kDecode[in[i]];
        if (v < 64) {
            group = group << 6 | v;
            last_char_offset = i;
            if (++group_chars == 4) {
                o[0] = uint8_t(group >> 16);
                o[1] = uint8_t(group >> 8);
                o[2] = uint8_t(group);
                o += 3;
                group = 0;
                group_chars = 0;
            }
        } else if (v == kPad) {
            if (group_chars == 0) throw_corrupt("unexpected padding", in[i], i);
            if (group_chars == 1) throw_truncated(last_char_offset);
            check_padding(in, size, i, group_chars);
            break;
        } else if (v != kSpace) {
            throw_corrupt("invalid character", in[i], i);
        }
        ++i;
    }

    // A final group of 2 or 3 characters carries 1 or 2 bytes; leftover low bits are ignored.
    if (group_chars == 1) throw_truncated(last_char_offset);
    if (group_chars == 2) {
        *o++ = uint8_t(group >> 4);
    } else if (group_chars == 3) {
        *o++ = uint8_t(group >> 10);
        *o++ = uint8_t(group >> 2);
    }
    out.resize(size_t(o - out.data()));
    return out;
}

std::string base64_encode(const uint8_t *data, size_t size) {
    std::string out((size + 2) / 3 * 4, '=');
    char *o = out.data();
    size_t i = 0;
    for (; size - i >= 3; i += 3) {
        const uint32_t v = uint32_t(data[i]) << 16 | uint32_t(data[i + 1]) << 8 | data[i + 2];
        o[0] = kEncode[v >> 18];
        o[1] = kEncode[(v >> 12) & 63];
        o[2] = kEncode[(v >> 6) & 63];
        o[3] = kEncode[v & 63];
        o += 4;
    }
    if (size - i == 1) {
        const uint32_t v = uint32_t(data[i]) << 16;
        o[0] = kEncode[v >> 18];
        o[1] = kEncode[(v >> 12) & 63];
    } else if (size - i == 2) {
        const uint32_t v = uint32_t(data[i]) << 16 | uint32_t(data[i + 1]) << 8;
        o[0] = kEncode[v >> 18];
        o[1] = kEncode[(v >> 12) & 63];
        o[2] = kEncode[(v >> 6) & 63];
    }
    return out;
}

} // namespace pictor
