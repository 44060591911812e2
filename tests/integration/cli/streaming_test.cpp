// The streaming path through the real CLI and the mock: SSE previews (--partials,
// --save-partials), answers decoded while they arrive in every delivery style, timings.
#include <gtest/gtest.h>

#include <pictor/pictor.h>

#include "cli_fixture.hpp"

namespace pictor_test {
namespace {

using nlohmann::json;

// Decodes a file through the library; {0, 0} when it is not an image.
std::pair<uint32_t, uint32_t> image_size(const std::string &path) {
    std::string bytes = read_file(path);
    pictor_image *image = nullptr;
    if (pictor_decode_image(reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size(), 0, &image) != PICTOR_OK)
        return {0, 0};
    std::pair<uint32_t, uint32_t> size{pictor_image_width(image), pictor_image_height(image)};
    pictor_image_free(image);
    return size;
}

TEST_F(PictorCli, PartialsAreSavedAndTheFinalImageIsTheCompletedOne) {
    const std::string previews = out("previews");
    ProcessResult r = pictor(std::vector<std::string>{"generate", "a fox", "--size", "1024x1024", "--partials", "2",
                                                      "--save-partials", previews, "--json", "-o", out("fox.png")} +
                             route("openai"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    json log = mock_->api_requests();
    ASSERT_EQ(log.size(), 1u);
    EXPECT_EQ(log[0]["json"]["stream"], true);
    EXPECT_EQ(log[0]["json"]["partial_images"], 2);
    // Both previews, decodable, the requested size; the final image is the one served.
    for (const char *name : {"/partial-0.png", "/partial-1.png"})
        EXPECT_EQ(image_size(previews + name), (std::pair<uint32_t, uint32_t>{1024, 1024})) << name;
    EXPECT_NE(read_file(previews + "/partial-0.png"), read_file(previews + "/partial-1.png"));
    ASSERT_EQ(log[0]["images"].size(), 1u);
    EXPECT_EQ(sha256_of_file(out("fox.png")), log[0]["images"][0]["sha256"]);
    json result = single_json_object(r.out);
    EXPECT_GT(result["usage"]["output_tokens"].get<int>(), 0);
    ASSERT_EQ(result["history"].size(), 1u); // the completed image, not the previews
}

TEST_F(PictorCli, AStreamErrorAfterAPreviewFailsWithTheServersKind) {
    ProcessResult r = pictor(std::vector<std::string>{"generate", "a fox", "--partials", "1", "--json", "-o",
                                                      out("fox.png")} +
                             route("openai", "sse_error=1,code=moderation_blocked"));
    EXPECT_EQ(r.exit_code, 1) << r.err;
    json result = single_json_object(r.out);
    EXPECT_EQ(result["error"]["kind"], "moderation_blocked");
    EXPECT_FALSE(file_exists(out("fox.png")));
}

TEST_F(PictorCli, SavePartialsWithoutPartialsIsAUsageError) {
    ProcessResult r = pictor(std::vector<std::string>{"generate", "a fox", "--save-partials", out("p"), "-o",
                                                      out("fox.png")} + route("openai"));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--partials"), std::string::npos) << r.err;
    EXPECT_TRUE(mock_->api_requests().empty()); // nothing was sent
}

TEST_F(PictorCli, EveryDeliveryStyleGivesTheServedImage) {
    // Streamed straight into the decoder (raw, data URL, no padding) or handed to the JSON
    // parser (escapes): the same bytes either way.
    for (const char *style : {"raw", "dataurl", "nopad", "wrapped", "escaped_slashes", "escaped_newlines"}) {
        const std::string file = out(std::string(style) + ".png");
        ProcessResult r = pictor(std::vector<std::string>{"generate", "a fox", "--size", "1536x1024", "-o", file} +
                                 route("openai", std::string("b64=") + style));
        ASSERT_EQ(r.exit_code, 0) << style << ": " << r.err;
        json log = mock_->api_requests();
        ASSERT_FALSE(log.empty());
        EXPECT_EQ(sha256_of_file(file), log.back()["images"][0]["sha256"]) << style;
    }
}

TEST_F(PictorCli, TimingsAreReported) {
    ProcessResult r = pictor(std::vector<std::string>{"generate", "a fox", "--json", "-o", out("fox.png")} +
                             route("openai", "delay=0.3"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    json timings = single_json_object(r.out)["timings_ms"];
    for (const char *key : {"connect", "upload", "wait", "download", "after_last_byte", "total"}) {
        ASSERT_TRUE(timings.contains(key)) << key;
        EXPECT_GE(timings[key].get<double>(), 0.0) << key;
    }
    EXPECT_GE(timings["wait"].get<double>(), 250.0); // the server's delay is waiting time
    EXPECT_LE(timings["after_last_byte"].get<double>(), timings["total"].get<double>());
}

} // namespace
} // namespace pictor_test
