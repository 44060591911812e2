#include "image/base64.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "image_test_support.hpp"

namespace pictor {
namespace {

using test::catch_error;

std::string decode_to_string(std::string_view text) {
    const std::vector<uint8_t> bytes = base64_decode(text);
    return std::string(bytes.begin(), bytes.end());
}

std::string encode_string(const std::string &text) {
    return base64_encode(reinterpret_cast<const uint8_t *>(text.data()), text.size());
}

// RFC 4648 §10.
TEST(Base64, Rfc4648VectorsEncode) {
    EXPECT_EQ(encode_string(""), "");
    EXPECT_EQ(encode_string("f"), "Zg==");
    EXPECT_EQ(encode_string("fo"), "Zm8=");
    EXPECT_EQ(encode_string("foo"), "Zm9v");
    EXPECT_EQ(encode_string("foob"), "Zm9vYg==");
    EXPECT_EQ(encode_string("fooba"), "Zm9vYmE=");
    EXPECT_EQ(encode_string("foobar"), "Zm9vYmFy");
}

TEST(Base64, Rfc4648VectorsDecode) {
    EXPECT_EQ(decode_to_string(""), "");
    EXPECT_EQ(decode_to_string("Zg=="), "f");
    EXPECT_EQ(decode_to_string("Zm8="), "fo");
    EXPECT_EQ(decode_to_string("Zm9v"), "foo");
    EXPECT_EQ(decode_to_string("Zm9vYg=="), "foob");
    EXPECT_EQ(decode_to_string("Zm9vYmE="), "fooba");
    EXPECT_EQ(decode_to_string("Zm9vYmFy"), "foobar");
}

TEST(Base64, PaddingIsOptional) {
    EXPECT_EQ(decode_to_string("Zg"), "f");
    EXPECT_EQ(decode_to_string("Zg="), "f");
    EXPECT_EQ(decode_to_string("Zm8"), "fo");
    EXPECT_EQ(decode_to_string("Zm9vYmE"), "fooba");
}

TEST(Base64, WhitespaceAnywhereIsSkipped) {
    EXPECT_EQ(decode_to_string("Zm9v\nYmFy"), "foobar");
    EXPECT_EQ(decode_to_string("Z m 9 v Y m F y"), "foobar");
    EXPECT_EQ(decode_to_string("\r\n\tZm9vYmE=\r\n"), "fooba");
    EXPECT_EQ(decode_to_string("Zm9vYg=\n="), "foob");
    EXPECT_EQ(decode_to_string(" \n\t "), "");
    // A wrapped MIME-style body: 76-column lines.
    std::vector<uint8_t> bytes(500);
    for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = uint8_t(i * 37 + 11);
    const std::string encoded = base64_encode(bytes.data(), bytes.size());
    std::string wrapped;
    for (size_t i = 0; i < encoded.size(); i += 76) wrapped += encoded.substr(i, 76) + "\r\n";
    EXPECT_EQ(base64_decode(wrapped), bytes);
}

TEST(Base64, UrlSafeAlphabetDecodes) {
    const std::vector<uint8_t> bytes = {0xfb, 0xff, 0xbf, 0xfe};
    EXPECT_EQ(base64_encode(bytes.data(), bytes.size()), "+/+//g==");
    EXPECT_EQ(base64_decode("+/+//g=="), bytes);
    EXPECT_EQ(base64_decode("-_-__g"), bytes);
}

TEST(Base64, InvalidCharacterNamesOffsetAndCorruption) {
    const Error error = catch_error([] { base64_decode("Zm9vYm%y"); });
    EXPECT_ERROR_KIND(error, ErrorKind::bad_response);
    const std::string message = error.what();
    EXPECT_NE(message.find("offset 6"), std::string::npos) << message;
    EXPECT_NE(message.find("'%'"), std::string::npos) << message;
    EXPECT_NE(message.find("corrupt"), std::string::npos) << message;
}

TEST(Base64, InvalidCharacterInFastPathAndAfterWhitespace) {
    // Offsets count from the start of the text, whitespace included.
    EXPECT_NE(std::string(catch_error([] { base64_decode("Zm9vYmFyZm9v*mFy"); }).what())
                  .find("offset 12"),
              std::string::npos);
    EXPECT_NE(std::string(catch_error([] { base64_decode("Zm\n9v\x01"); }).what())
                  .find("0x01 at offset 5"),
              std::string::npos);
    // A NUL byte inside is not silently the end of the text.
    EXPECT_NE(std::string(catch_error([] { base64_decode(std::string_view("Zm9v\0mFy", 8)); })
                              .what())
                  .find("offset 4"),
              std::string::npos);
}

TEST(Base64, DanglingCharacterIsTruncation) {
    for (const char *text : {"Z", "Zm9vY", "Zm9vY\n", "Zm9vY=", "Zm9vY=="}) {
        const Error error = catch_error([&] { base64_decode(text); });
        EXPECT_ERROR_KIND(error, ErrorKind::bad_response);
        const std::string message = error.what();
        EXPECT_NE(message.find("truncated"), std::string::npos) << text << ": " << message;
        const char *offset = std::string(text) == "Z" ? "offset 0" : "offset 4";
        EXPECT_NE(message.find(offset), std::string::npos) << text << ": " << message;
    }
}

TEST(Base64, PaddingOnlyAtTheEnd) {
    const Error inside = catch_error([] { base64_decode("Zg==Zm9v"); });
    EXPECT_ERROR_KIND(inside, ErrorKind::bad_response);
    EXPECT_NE(std::string(inside.what()).find("offset 4"), std::string::npos) << inside.what();

    const Error excess = catch_error([] { base64_decode("Zm8=="); });
    EXPECT_NE(std::string(excess.what()).find("offset 4"), std::string::npos) << excess.what();

    const Error leading = catch_error([] { base64_decode("=Zm9v"); });
    EXPECT_NE(std::string(leading.what()).find("offset 0"), std::string::npos) << leading.what();

    EXPECT_EQ(catch_error([] { base64_decode("Zm9v===="); }).kind(), ErrorKind::bad_response);
}

TEST(Base64, LargeRoundTrip) {
    // About 11 MB of text once encoded, like a 3840x2160 PNG in a b64_json field.
    std::vector<uint8_t> bytes(8 * 1024 * 1024 + 2);
    uint32_t state = 12345;
    for (auto &b : bytes) {
        state = state * 1103515245u + 12345u;
        b = uint8_t(state >> 24);
    }
    const std::string encoded = base64_encode(bytes.data(), bytes.size());
    EXPECT_EQ(encoded.size(), (bytes.size() + 2) / 3 * 4);
    EXPECT_EQ(base64_decode(encoded), bytes);

    // The same with the padding dropped and URL-safe characters, as some gateways send it.
    std::string url_safe = encoded;
    while (!url_safe.empty() && url_safe.back() == '=') url_safe.pop_back();
    for (char &c : url_safe) c = c == '+' ? '-' : c == '/' ? '_' : c;
    EXPECT_EQ(base64_decode(url_safe), bytes);
}

TEST(Base64, EveryByteValueRoundTrips) {
    for (size_t length = 0; length <= 260; ++length) {
        std::vector<uint8_t> bytes(length);
        for (size_t i = 0; i < length; ++i) bytes[i] = uint8_t(255 - i);
        ASSERT_EQ(base64_decode(base64_encode(bytes.data(), bytes.size())), bytes) << length;
    }
}

} // namespace
} // namespace pictor
