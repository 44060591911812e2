#include "image/base64_stream.hpp"

#include "error.hpp"
#include "image/base64_alphabet.hpp"
#include "image/base64_blocks.hpp"

namespace pictor {
namespace {

using namespace base64_alphabet; // the table and the error messages

} // namespace

void Base64StreamDecoder::feed(const char *text, size_t size, std::string &out) {
    const auto *in = reinterpret_cast<const unsigned char *>(text);
    // Decoded bytes go straight into out's storage: grown once per call, trimmed at the end
    // (with the 4 bytes base64_decode_blocks may write past its own).
    const size_t old_size = out.size();
    out.resize(old_size + (size + group_chars_) / 4 * 3 + 4);
    auto *o = reinterpret_cast<uint8_t *>(out.data()) + old_size;
    size_t i = 0;
    while (i < size) {
        if (group_chars_ == 0 && !padded_) {
            // Fast path: whole groups of four alphabet characters.
            const size_t groups = base64_decode_groups(in + i, size - i, o);
            i += groups;
            o += groups / 4 * 3;
            if (i == size) break;
        }
        const uint8_t v = kDecode[in[i]];
        const size_t at = offset_ + i;
        if (padded_) {
            if (v == kPad) {
                if (++pads_ > 4 - group_chars_) throw_corrupt("excess padding", in[i], at);
            } else if (v != kSpace) {
                throw_corrupt("character after the '=' padding", in[i], at);
            }
        } else if (v < 64) {
            group_ = group_ << 6 | v;
            last_char_offset_ = at;
            if (++group_chars_ == 4) {
                o[0] = uint8_t(group_ >> 16);
                o[1] = uint8_t(group_ >> 8);
                o[2] = uint8_t(group_);
                o += 3;
                group_ = 0;
                group_chars_ = 0;
            }
        } else if (v == kPad) {
            if (group_chars_ == 0) throw_corrupt("unexpected padding", in[i], at);
            if (group_chars_ == 1) throw_truncated(last_char_offset_);
            padded_ = true;
            pads_ = 1;
        } else if (v != kSpace) {
            throw_corrupt("invalid character", in[i], at);
        }
        ++i;
    }
    offset_ += size;
    out.resize(size_t(o - reinterpret_cast<uint8_t *>(out.data())));
}

void Base64StreamDecoder::finish(std::string &out) {
    if (group_chars_ == 1) throw_truncated(last_char_offset_);
    if (group_chars_ == 2) {
        out.push_back(char(uint8_t(group_ >> 4)));
    } else if (group_chars_ == 3) {
        out.push_back(char(uint8_t(group_ >> 10)));
        out.push_back(char(uint8_t(group_ >> 2)));
    }
    group_chars_ = 0;
    group_ = 0;
}

std::string Base64StreamDecoder::pending_text() const {
    std::string text;
    for (int k = group_chars_ - 1; k >= 0; --k) text += kEncode[(group_ >> (6 * k)) & 63];
    if (padded_) text.append(size_t(pads_), '=');
    return text;
}

} // namespace pictor
