#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "api/b64_json_scanner.hpp"
#include "api/images_response.hpp"
#include "error.hpp"
#include "image/base64.hpp"
#include "image/image_decode.hpp"
#include "image/image_encode.hpp"
#include "image_test_support.hpp"

namespace pictor {
namespace {

using namespace test;

std::string png_bytes(uint32_t w, uint32_t h) {
    const std::vector<uint8_t> png = encode_image(make_pattern(w, h), ImageFormat::png);
    return std::string(png.begin(), png.end());
}

std::string b64(const std::string &bytes) {
    return base64_encode(reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size());
}

// Streams body in pieces and reads the answer from the skeleton and the streamed images.
ImagesResponse stream_read(const std::string &body, size_t piece, std::string *skeleton_out = nullptr) {
    B64JsonScanner scanner(B64JsonScanner::Layout::data_items, DecodeLimits{}, 0);
    for (size_t at = 0; at < body.size(); at += piece)
        scanner.feed(body.data() + at, std::min(piece, body.size() - at));
    std::string skeleton = scanner.take_skeleton();
    if (skeleton_out) *skeleton_out = skeleton;
    auto images = scanner.take_images();
    return read_images_response(skeleton, images);
}

std::string error_text(const std::function<void()> &f) {
    try {
        f();
    } catch (const Error &e) {
        return e.what();
    }
    return "";
}

TEST(B64JsonScanner, StreamsTheImagesAndKeepsTheRestForTheParser) {
    const std::string a = png_bytes(40, 30), b = png_bytes(20, 10);
    const std::string body = "\n  {\"created\": 1, \"data\": [{\"b64_json\": \"" + b64(a) +
                             "\", \"revised_prompt\": \"a \\\"b\\\" c\"}, {\"url\": null, \"b64_json\":\"" + b64(b) +
                             "\"}], \"usage\": {\"total_tokens\": 5, \"note\": \"b64_json\"}}";
    for (size_t piece : {size_t(1), size_t(3), size_t(1000), body.size()}) {
        std::string skeleton;
        ImagesResponse r = stream_read(body, piece, &skeleton);
        ASSERT_EQ(r.images.size(), 2u);
        EXPECT_EQ(r.images[0].bytes, a);
        EXPECT_EQ(r.images[1].bytes, b);
        EXPECT_TRUE(r.images[0].decoded); // decoded while it arrived
        EXPECT_EQ(r.images[0].rgba.pixels, decode_image(reinterpret_cast<const uint8_t *>(a.data()), a.size()).pixels);
        EXPECT_EQ(r.usage["total_tokens"], 5);
        EXPECT_LT(skeleton.size(), 300u) << "the base64 must not be kept";
        EXPECT_NE(skeleton.find("pictor:streamed:1"), std::string::npos);
    }
}

TEST(B64JsonScanner, DataUrlPrefixAndMissingPadding) {
    const std::string a = png_bytes(33, 17);
    std::string text = b64(a);
    text = text.substr(0, text.find('='));
    const std::string body = "{\"data\":[{\"b64_json\":\"data:image/png;base64," + text + "\"}]}";
    for (size_t piece : {size_t(1), size_t(7), body.size()}) {
        ImagesResponse r = stream_read(body, piece);
        ASSERT_EQ(r.images.size(), 1u);
        EXPECT_EQ(r.images[0].bytes, a) << piece;
    }
}

TEST(B64JsonScanner, EscapesHandTheValueToTheJsonParser) {
    const std::string a = png_bytes(50, 40);
    std::string wrapped, slashed;
    const std::string text = b64(a);
    for (size_t i = 0; i < text.size(); ++i) {
        if (i > 0 && i % 76 == 0) wrapped += "\\n";
        wrapped += text[i];
        slashed += text[i] == '/' ? std::string("\\/") : std::string(1, text[i]);
    }
    for (const std::string &value : {wrapped, slashed}) {
        const std::string body = "{\"data\":[{\"b64_json\":\"" + value + "\"}]}";
        for (size_t piece : {size_t(1), size_t(5), size_t(200), body.size()}) {
            ImagesResponse r = stream_read(body, piece);
            ASSERT_EQ(r.images.size(), 1u);
            EXPECT_EQ(r.images[0].bytes, a) << piece;
            EXPECT_FALSE(r.images[0].decoded); // decoded afterwards by decode_image
        }
    }
}

TEST(B64JsonScanner, ErrorsMatchTheWholeBodyReader) {
    const std::string good = b64(png_bytes(8, 8));
    const std::string bodies[] = {
        "{\"data\":[{\"b64_json\":\"" + good.substr(0, 20) + "$%&" + good.substr(20) + "\"}]}", // bad base64
        "{\"data\":[{\"b64_json\":\"" + good.substr(0, 20) + "$\\n%&" + good.substr(20) + "\"}]}",
        "{\"data\":[{\"b64_json\":\"QUJDR\"}]}",                       // dangling character
        "{\"data\":[]}",                                             // no image
        "{\"error\":{\"message\":\"Your request was rejected\",\"code\":\"moderation_blocked\"}}",
        "<html>502</html>",
    };
    for (const std::string &body : bodies) {
        const std::string whole = error_text([&] { read_images_response(body); });
        ASSERT_FALSE(whole.empty()) << body;
        EXPECT_EQ(error_text([&] { stream_read(body, 3); }), whole) << body;
    }
}

TEST(B64JsonScanner, TopLevelLayoutForEvents) {
    const std::string a = png_bytes(12, 12);
    const std::string event = "{\"type\":\"image_generation.completed\",\"b64_json\":\"" + b64(a) +
                              "\",\"usage\":{\"total_tokens\":3}}";
    B64JsonScanner scanner(B64JsonScanner::Layout::top_level, DecodeLimits{}, 0);
    scanner.feed(event.data(), event.size());
    std::string skeleton = scanner.take_skeleton();
    auto images = scanner.take_images();
    EventImage read = read_event_image(skeleton, images);
    EXPECT_EQ(read.image.bytes, a);
    EXPECT_TRUE(read.image.decoded);
    EXPECT_EQ(read.event["usage"]["total_tokens"], 3);
}

} // namespace
} // namespace pictor
