#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "error.hpp"
#include "image/base64.hpp"
#include "image/base64_stream.hpp"

namespace pictor {
namespace {

std::string bytes_of(const std::vector<uint8_t> &v) { return std::string(v.begin(), v.end()); }

// Feeds text in pieces of `piece` characters.
std::string stream_decode(const std::string &text, size_t piece) {
    Base64StreamDecoder decoder;
    std::string out;
    for (size_t at = 0; at < text.size(); at += piece)
        decoder.feed(text.data() + at, std::min(piece, text.size() - at), out);
    decoder.finish(out);
    return out;
}

std::string error_of(const std::string &text, size_t piece) {
    try {
        stream_decode(text, piece);
    } catch (const Error &e) {
        EXPECT_EQ(e.kind(), ErrorKind::bad_response);
        return e.what();
    }
    return "";
}

std::string error_of_whole(const std::string &text) {
    try {
        base64_decode(text);
    } catch (const Error &e) {
        return e.what();
    }
    return "";
}

TEST(Base64Stream, MatchesTheWholeValueDecoderForEverySplit) {
    std::vector<uint8_t> data(1000);
    for (size_t i = 0; i < data.size(); ++i) data[i] = uint8_t(i * 7 + 3);
    for (size_t length : {0, 1, 2, 3, 4, 5, 999, 1000}) {
        std::string text = base64_encode(data.data(), length);
        std::string nopad = text.substr(0, text.find('='));
        std::string spaced = text;
        for (size_t at = 76; at < spaced.size(); at += 77) spaced.insert(at, "\n");
        std::string urlsafe = text;
        for (char &c : urlsafe) c = c == '+' ? '-' : c == '/' ? '_' : c;
        for (const std::string &variant : {text, nopad, spaced, urlsafe})
            for (size_t piece : {1, 2, 3, 5, 64, 4096})
                EXPECT_EQ(stream_decode(variant, piece), std::string(data.begin(), data.begin() + long(length)))
                    << "length " << length << " piece " << piece;
    }
}

TEST(Base64Stream, ErrorsNameTheSameOffsetAsTheWholeValueDecoder) {
    for (const std::string &bad : {std::string("QUJD$EVG"), std::string("QUJDRA=x"), std::string("QUJDR"),
                                   std::string("=QUJD"), std::string("QUJDRA===")}) {
        const std::string whole = error_of_whole(bad);
        ASSERT_FALSE(whole.empty()) << bad;
        for (size_t piece : {1, 3, 100}) EXPECT_EQ(error_of(bad, piece), whole) << bad << " / " << piece;
    }
}

TEST(Base64Stream, PendingTextCompletesTheDecodedBytes) {
    const std::string text = "QUJDREVGR0hJ"; // "ABCDEFGHI"
    for (size_t cut = 0; cut <= text.size(); ++cut) {
        Base64StreamDecoder decoder;
        std::string out;
        decoder.feed(text.data(), cut, out);
        const std::string rebuilt =
            base64_encode(reinterpret_cast<const uint8_t *>(out.data()), out.size()) + decoder.pending_text() +
            text.substr(cut);
        EXPECT_EQ(bytes_of(base64_decode(rebuilt)), "ABCDEFGHI") << cut;
    }
}

} // namespace
} // namespace pictor
