// pictor edit with a file over the route's per-image limit: re-encoded to fit with a warning
// (what was sent is in --json "uploads"), or refused as before with --keep-uploads.
#include <gtest/gtest.h>

#include <pictor/pictor.h>

#include "cli_fixture.hpp"

namespace pictor_test {
namespace {

using nlohmann::json;

constexpr uint64_t kApiyiMaxImageBytes = 10ull << 20; // the route's documented per-image limit

// A 3000x2000 grain photo saved as a quality-100 JPEG: ~15 MB, over apiyi's 10 MiB.
std::string oversized_jpeg() {
    const uint32_t width = 3000, height = 2000;
    std::vector<uint8_t> rgba(size_t(width) * height * 4);
    uint32_t state = 12345;
    for (size_t i = 0; i < rgba.size(); ++i) {
        state = state * 1664525u + 1013904223u;
        rgba[i] = i % 4 == 3 ? 255 : uint8_t(state >> 24);
    }
    pictor_image *image = nullptr;
    EXPECT_EQ(pictor_image_from_rgba(width, height, rgba.data(), width * 4, &image), PICTOR_OK);
    uint8_t *data = nullptr;
    size_t size = 0;
    EXPECT_EQ(pictor_image_encode(image, "jpeg", 100, &data, &size), PICTOR_OK);
    std::string bytes(reinterpret_cast<const char *>(data), size);
    pictor_free(data);
    pictor_image_free(image);
    return bytes;
}

TEST_F(PictorCli, EditReencodesAFileOverTheRouteLimitAndSaysWhatWasSent) {
    const std::string photo = dir_ + "/in/photo.jpg";
    const std::string bytes = oversized_jpeg();
    ASSERT_GT(bytes.size(), kApiyiMaxImageBytes);
    write_file(photo, bytes);
    ProcessResult r = pictor(std::vector<std::string>{"edit", "make it warmer", "--image", photo, "-o",
                                                      out("warm.png"), "--json"} + route("apiyi"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("warning: " + photo + " is "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("re-encoding it to fit"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("warning: sent photo."), std::string::npos) << r.err;

    json log = mock_->api_requests();
    ASSERT_EQ(log.size(), 1u);
    json sent = log[0]["files"].at(0);
    EXPECT_LE(sent["size"].get<uint64_t>(), kApiyiMaxImageBytes);
    json result = json::parse(r.out);
    ASSERT_EQ(result["uploads"].size(), 1u) << r.out;
    const json &entry = result["uploads"][0];
    EXPECT_EQ(entry["reencoded"], true);
    EXPECT_EQ(entry["given_bytes"], bytes.size());
    EXPECT_EQ(entry["name"], sent["filename"]);
    EXPECT_EQ(entry["format"], sent["format"]);
    EXPECT_EQ(entry["bytes"], sent["size"]);
    EXPECT_EQ(entry["width"], sent["width"]);
    EXPECT_EQ(entry["height"], sent["height"]);
}

TEST_F(PictorCli, KeepUploadsRefusesAFileOverTheRouteLimitBeforeSending) {
    const std::string photo = dir_ + "/in/photo.jpg";
    write_file(photo, oversized_jpeg());
    ProcessResult r = pictor(std::vector<std::string>{"edit", "make it warmer", "--image", photo, "-o",
                                                      out("warm.png"), "--keep-uploads"} + route("apiyi"));
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find(photo), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("Nothing was sent"), std::string::npos) << r.err;
    EXPECT_EQ(mock_->requests().size(), 0u);
}

} // namespace
} // namespace pictor_test
