#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "api/streamed_response.hpp"
#include "error.hpp"
#include "image/base64.hpp"
#include "image/image_decode.hpp"
#include "image/image_encode.hpp"
#include "image_test_support.hpp"

namespace pictor {
namespace {

using namespace test;

std::string png_b64(uint32_t w, uint32_t h, bool alpha = true) {
    const std::vector<uint8_t> png = encode_image(make_pattern(w, h, alpha), ImageFormat::png);
    return base64_encode(png.data(), png.size());
}

std::string event(const std::string &name, const std::string &data) {
    return "event: " + name + "\ndata: " + data + "\n\n";
}

struct Seen {
    int index, total, variation;
    uint32_t width;
};

// Feeds a whole event stream through StreamedResponse in pieces, collecting the partials.
ImagesResponse read_stream(const std::string &stream, size_t piece, std::vector<Seen> &seen) {
    StreamedResponse response(DecodeLimits{}, [&](const PartialImage &p) {
        seen.push_back({p.index, p.total, p.variation, p.rgba.width});
        EXPECT_EQ(p.format, ImageFormat::png);
        EXPECT_FALSE(p.encoded.empty());
    }, 2, 1);
    net::HttpResponse headers;
    headers.headers["content-type"] = "text/event-stream; charset=utf-8";
    EXPECT_TRUE(response.begin(200, headers));
    for (size_t at = 0; at < stream.size(); at += piece)
        response.write(stream.data() + at, std::min(piece, stream.size() - at));
    response.end(true);
    return response.result();
}

TEST(SseReader, PartialsArriveAndTheCompletedImageIsTheResult) {
    const std::string stream =
        ": keep-alive\n\n" +
        event("image_generation.partial_image",
              "{\"type\":\"image_generation.partial_image\",\"b64_json\":\"" + png_b64(16, 16) +
                  "\",\"partial_image_index\":0}") +
        event("image_generation.partial_image",
              "{\"type\":\"image_generation.partial_image\",\"b64_json\":\"" + png_b64(16, 16) +
                  "\",\"partial_image_index\":1}") +
        event("image_generation.completed", "{\"type\":\"image_generation.completed\",\"b64_json\":\"" +
                                                png_b64(32, 16) + "\",\"usage\":{\"total_tokens\":7}}") +
        "data: [DONE]\n\n";
    for (size_t piece : {size_t(1), size_t(9), stream.size()}) {
        std::vector<Seen> seen;
        ImagesResponse r = read_stream(stream, piece, seen);
        ASSERT_EQ(seen.size(), 2u) << piece;
        EXPECT_EQ(seen[0].index, 0);
        EXPECT_EQ(seen[1].index, 1);
        EXPECT_EQ(seen[1].total, 2);
        EXPECT_EQ(seen[1].variation, 1);
        EXPECT_EQ(seen[0].width, 16u);
        ASSERT_EQ(r.images.size(), 1u);
        EXPECT_TRUE(r.images[0].decoded);
        EXPECT_EQ(r.images[0].rgba.width, 32u);
        EXPECT_EQ(r.usage["total_tokens"], 7);
    }
}

TEST(SseReader, CrLfLinesAndNoDoneMarker) {
    std::string stream = "event: image_edit.completed\r\ndata:{\"type\":\"image_edit.completed\",\"b64_json\":\"" +
                         png_b64(8, 8) + "\"}\r\n\r\n";
    std::vector<Seen> seen;
    ImagesResponse r = read_stream(stream, 4, seen);
    ASSERT_EQ(r.images.size(), 1u);
    EXPECT_EQ(r.images[0].rgba.width, 8u);
}

TEST(SseReader, AnErrorEventFailsWithTheServersKind) {
    const std::string stream =
        event("image_generation.partial_image", "{\"type\":\"image_generation.partial_image\",\"b64_json\":\"" +
                                                    png_b64(8, 8) + "\",\"partial_image_index\":0}") +
        event("error", "{\"type\":\"error\",\"error\":{\"message\":\"Your request was rejected by the safety "
                       "system.\",\"code\":\"moderation_blocked\",\"type\":\"image_generation_user_error\"}}");
    std::vector<Seen> seen;
    try {
        read_stream(stream, 7, seen);
        FAIL() << "expected an error";
    } catch (const Error &e) {
        EXPECT_EQ(e.kind(), ErrorKind::moderation_blocked);
    }
    EXPECT_EQ(seen.size(), 1u); // the preview before the error still came
}

TEST(SseReader, AStreamWithoutACompletedImageIsUnusable) {
    std::vector<Seen> seen;
    try {
        read_stream(": keep-alive\n\ndata: [DONE]\n\n", 3, seen);
        FAIL() << "expected an error";
    } catch (const Error &e) {
        EXPECT_EQ(e.kind(), ErrorKind::bad_response);
        EXPECT_NE(std::string(e.what()).find("without a completed image"), std::string::npos);
    }
}

} // namespace
} // namespace pictor
