// A spooled part that cannot be read back while it is sent (its temporary file shrank, a disk
// error): pictor cuts its own body short, so the gateway never has a whole request; the error
// says nothing was billed and is not a cancel.
#include <gtest/gtest.h>

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <random>

#include "api/image_client.hpp"
#include "error.hpp"
#include "image/image_encode.hpp"
#include "mock_gateway_process.hpp"

namespace pictor {
namespace {

TEST(SpooledUpload, AFileThatCannotBeReadBackCutsTheBodyAndNothingIsBilled) {
    pictor_test::MockGatewayProcess mock;
    char dir[] = "/tmp/pictor-spooled-send-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);

    // Noise: a PNG of about 1 MB, far more than the header the plan reads.
    RgbaImage noise;
    noise.width = noise.height = 520;
    noise.pixels.resize(size_t(noise.width) * noise.height * 4);
    std::mt19937 random(7);
    for (size_t i = 0; i < noise.pixels.size(); ++i)
        noise.pixels[i] = i % 4 == 3 ? 255 : uint8_t(random());
    const std::vector<uint8_t> png = encode_image(noise, ImageFormat::png);
    ASSERT_GT(png.size(), 700'000u);

    ImageRequest request;
    request.prompt = "make it blue";
    InputImage part;
    part.filename = "layer.png";
    part.spool = net::PartSpool::create();
    part.spool->append(png.data(), png.size());
    part.spool->seal();
    ASSERT_EQ(ftruncate(part.spool->fd(), 400'000), 0); // the spool still announces every byte
    request.images.push_back(part);

    ClientOptions options;
    options.use_environment = false;
    options.profile_dir = PICTOR_PROFILES_DIR;
    options.settings.profile = "apiyi";
    options.settings.base_url = mock.base_url("apiyi");
    options.settings.api_key = "sk-test-spooled-send";
    options.settings.history_dir = std::string(dir) + "/history";
    ImageClient client(options);
    try {
        client.run(request, true);
        FAIL() << "a body cut short was answered";
    } catch (const Error &e) {
        EXPECT_EQ(e.kind(), ErrorKind::io) << e.what();
        EXPECT_FALSE(e.info().may_be_billed) << e.what();
        EXPECT_NE(std::string(e.what()).find("nothing was billed"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("temporary file"), std::string::npos) << e.what();
    }
    for (const auto &entry : mock.api_requests()) {
        EXPECT_TRUE(entry.value("files", nlohmann::json::array()).empty()) << "the mock read a whole body";
        EXPECT_EQ(entry.value("billed_images", 0), 0);
    }
    std::filesystem::remove_all(dir);
}

} // namespace
} // namespace pictor
