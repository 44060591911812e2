// The SIMD bulk decoder (base64_blocks.cpp) seen through both decoders: any character at any
// place of a 16-character block must give what the scalar rules give.
#include "image/base64_blocks.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "error.hpp"
#include "image/base64.hpp"
#include "image/base64_stream.hpp"

namespace pictor {
namespace {

const std::string kStandard = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int value_of(unsigned char c) {
    const size_t at = kStandard.find(char(c));
    if (at != std::string::npos && c != 0) return int(at);
    if (c == '-') return 62;
    if (c == '_') return 63;
    return -1;
}

bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// The bytes of a text of whole groups of alphabet characters, packed by hand.
std::vector<uint8_t> pack(const std::string &text) {
    std::vector<uint8_t> bytes;
    for (size_t i = 0; i + 4 <= text.size(); i += 4) {
        uint32_t v = 0;
        for (size_t k = 0; k < 4; ++k) v = v << 6 | uint32_t(value_of(uint8_t(text[i + k])));
        bytes.insert(bytes.end(), {uint8_t(v >> 16), uint8_t(v >> 8), uint8_t(v)});
    }
    return bytes;
}

std::string random_text(size_t groups, std::mt19937 &random) {
    std::string text;
    for (size_t i = 0; i < groups * 4; ++i) text += kStandard[random() % 64];
    return text;
}

// Both decoders, the streaming one in pieces of 1, 7 and 16 characters and whole; each result
// is the decoded bytes or "error: <message>", and all must agree.
std::string decode_everywhere(const std::string &text) {
    std::string whole;
    try {
        const std::vector<uint8_t> bytes = base64_decode(text);
        whole.assign(bytes.begin(), bytes.end());
    } catch (const Error &e) {
        whole = std::string("error: ") + e.what();
    }
    for (size_t piece : {size_t(1), size_t(7), size_t(16), text.size() + 1}) {
        std::string streamed;
        try {
            Base64StreamDecoder decoder;
            for (size_t at = 0; at < text.size(); at += piece)
                decoder.feed(text.data() + at, std::min(piece, text.size() - at), streamed);
            decoder.finish(streamed);
        } catch (const Error &e) {
            streamed = std::string("error: ") + e.what();
        }
        EXPECT_EQ(streamed, whole) << "piece " << piece;
    }
    return whole;
}

TEST(Base64Blocks, EveryByteAtEveryPlaceOfTheFirstThreeBlocks) {
    std::mt19937 random(11);
    const std::string text = random_text(16, random); // 64 characters: 4 blocks
    const std::vector<uint8_t> original = pack(text);
    for (int c = 0; c < 256; ++c) {
        const auto ch = static_cast<unsigned char>(c);
        for (size_t at = 0; at < 48; ++at) {
            SCOPED_TRACE("byte " + std::to_string(c) + " at " + std::to_string(at));
            if (value_of(ch) >= 0) {
                std::string replaced = text;
                replaced[at] = char(ch);
                const std::vector<uint8_t> expected = pack(replaced);
                EXPECT_EQ(decode_everywhere(replaced), std::string(expected.begin(), expected.end()));
                continue;
            }
            std::string inserted = text;
            inserted.insert(at, 1, char(ch));
            const std::string result = decode_everywhere(inserted);
            if (is_space(ch)) {
                EXPECT_EQ(result, std::string(original.begin(), original.end()));
            } else if (ch == '=') {
                EXPECT_EQ(result.rfind("error: ", 0), 0u) << result;
            } else {
                EXPECT_NE(result.find("offset " + std::to_string(at)), std::string::npos) << result;
            }
        }
    }
}

TEST(Base64Blocks, TakesWholeBlocksUpToTheFirstOtherCharacter) {
    std::mt19937 random(5);
    const std::string text = random_text(250, random); // 1000 characters
    const std::vector<uint8_t> expected = pack(text);
    std::vector<uint8_t> out(text.size() / 4 * 3 + 4);
    const auto *in = reinterpret_cast<const unsigned char *>(text.data());
    const size_t taken = base64_decode_blocks(in, text.size(), out.data());
    EXPECT_EQ(taken % 16, 0u);
    EXPECT_TRUE(std::equal(out.begin(), out.begin() + long(taken / 4 * 3), expected.begin()));
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    if (__builtin_cpu_supports("ssse3")) {
        EXPECT_EQ(taken, 992u); // 62 blocks; the last 8 characters are the scalar loop's
        std::string wrapped = text;
        wrapped[40] = '\n';
        EXPECT_EQ(base64_decode_blocks(reinterpret_cast<const unsigned char *>(wrapped.data()), wrapped.size(),
                                       out.data()),
                  32u);
        std::string url_safe = text;
        url_safe[17] = '-';
        EXPECT_EQ(base64_decode_blocks(reinterpret_cast<const unsigned char *>(url_safe.data()), url_safe.size(),
                                       out.data()),
                  16u);
    }
#endif
}

TEST(Base64Blocks, LongValuesWithEveryKindOfInterruption) {
    std::mt19937 random(7);
    for (int round = 0; round < 200; ++round) {
        std::string text = random_text(64 + random() % 64, random);
        std::string clean = text;
        const int interruptions = int(random() % 6);
        for (int k = 0; k < interruptions; ++k) {
            const size_t at = random() % text.size();
            switch (random() % 3) {
            case 0: text.insert(at, 1, "\n\r \t"[random() % 4]); break;
            case 1: // URL-safe spelling of the same value
                if (text[at] == '+') text[at] = '-';
                if (text[at] == '/') text[at] = '_';
                break;
            default: break;
            }
        }
        const std::vector<uint8_t> expected = pack(clean);
        EXPECT_EQ(decode_everywhere(text), std::string(expected.begin(), expected.end())) << text;
    }
}

} // namespace
} // namespace pictor
