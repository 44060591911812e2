#include "abi_fixture.hpp"

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace pictor_test {

std::unique_ptr<MockGatewayProcess> AbiTest::mock_;

namespace {

std::string encode_rgba(const std::vector<uint8_t> &rgba, uint32_t width, uint32_t height, const char *format) {
    pictor_image *image = nullptr;
    EXPECT_EQ(pictor_image_from_rgba(width, height, rgba.data(), size_t(width) * 4, &image), PICTOR_OK);
    uint8_t *bytes = nullptr;
    size_t size = 0;
    EXPECT_EQ(pictor_image_encode(image, format, -1, &bytes, &size), PICTOR_OK);
    std::string out(reinterpret_cast<char *>(bytes), size);
    pictor_free(bytes);
    pictor_image_free(image);
    return out;
}

std::string encode(uint32_t width, uint32_t height, bool with_alpha, const char *format) {
    std::vector<uint8_t> rgba(size_t(width) * height * 4);
    for (uint32_t y = 0; y < height; ++y)
        for (uint32_t x = 0; x < width; ++x) {
            uint8_t *p = &rgba[(size_t(y) * width + x) * 4];
            p[0] = uint8_t(x * 255 / width);
            p[1] = uint8_t(y * 255 / height);
            p[2] = 128;
            p[3] = with_alpha && x < width / 2 ? 0 : 255;
        }
    return encode_rgba(rgba, width, height, format);
}

} // namespace

std::string make_grain_png(uint32_t width, uint32_t height) {
    std::vector<uint8_t> rgba(size_t(width) * height * 4);
    uint32_t state = 777;
    for (size_t i = 0; i < rgba.size(); ++i) {
        state = state * 1664525u + 1013904223u;
        rgba[i] = i % 4 == 3 ? 255 : uint8_t(state >> 24);
    }
    return encode_rgba(rgba, width, height, "png");
}

std::string make_png(uint32_t width, uint32_t height, bool with_alpha) {
    return encode(width, height, with_alpha, "png");
}

std::string make_jpeg(uint32_t width, uint32_t height) { return encode(width, height, false, "jpeg"); }

std::vector<std::pair<std::string, std::string>> read_tree(const std::string &dir) {
    std::vector<std::pair<std::string, std::string>> files;
    if (!std::filesystem::exists(dir))
        return files;
    for (const auto &entry : std::filesystem::recursive_directory_iterator(dir)) {
        if (!entry.is_regular_file())
            continue;
        std::ifstream in(entry.path(), std::ios::binary);
        std::ostringstream content;
        content << in.rdbuf();
        files.emplace_back(entry.path().string(), content.str());
    }
    return files;
}

void AbiTest::SetUpTestSuite() { mock_ = std::make_unique<MockGatewayProcess>(); }

void AbiTest::TearDownTestSuite() { mock_.reset(); }

void AbiTest::SetUp() {
    std::random_device random;
    key_ = "sk-test-canary-" + std::to_string(random()) + std::to_string(random());
    char pattern[] = "/tmp/pictor-abi-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    temp_dir_ = pattern;
    history_dir_ = temp_dir_ + "/history";
    // Nothing from the developer's environment may leak into a test.
    for (const char *name : {"PICTOR_API_KEY", "OPENAI_API_KEY", "PICTOR_BASE_URL", "OPENAI_BASE_URL",
                             "PICTOR_PROFILE", "PICTOR_HISTORY_DIR"})
        unsetenv(name);
    setenv("XDG_CONFIG_HOME", (temp_dir_ + "/config").c_str(), 1);
    setenv("XDG_DATA_HOME", (temp_dir_ + "/data").c_str(), 1);
    mock().reset();
}

void AbiTest::TearDown() {
    // The canary key must never reach the disk: history, sidecars, anything.
    for (const auto &[path, content] : read_tree(temp_dir_))
        EXPECT_EQ(content.find(key_), std::string::npos) << "the API key was written to " << path;
    std::filesystem::remove_all(temp_dir_);
}

ClientPtr AbiTest::client(const std::string &profile, const std::string &scenario, uint64_t max_response_bytes) {
    pictor_client_config config;
    EXPECT_EQ(pictor_client_config_init(&config), PICTOR_OK);
    std::string url = mock().base_url(profile, scenario);
    config.profile = profile.c_str();
    config.base_url = url.c_str();
    config.api_key = key_.c_str();
    config.history_dir = history_dir_.c_str();
    config.profile_dir = PICTOR_PROFILES_DIR;
    config.max_response_bytes = max_response_bytes;
    pictor_client *c = nullptr;
    pictor_status status = pictor_client_create(&config, &c);
    EXPECT_EQ(status, PICTOR_OK) << pictor_thread_last_error()->message;
    return ClientPtr(c);
}

pictor_status AbiTest::generate(pictor_client *c, pictor_request &request, ResultPtr &result) {
    pictor_result *raw = nullptr;
    pictor_status status = pictor_generate(c, &request, &raw);
    result.reset(raw);
    if (status != PICTOR_OK) {
        EXPECT_EQ(raw, nullptr) << "out-parameters are NULL on failure";
    }
    return status;
}

pictor_status AbiTest::edit(pictor_client *c, pictor_request &request, ResultPtr &result) {
    pictor_result *raw = nullptr;
    pictor_status status = pictor_edit(c, &request, &raw);
    result.reset(raw);
    if (status != PICTOR_OK) {
        EXPECT_EQ(raw, nullptr) << "out-parameters are NULL on failure";
    }
    return status;
}

nlohmann::json AbiTest::metadata(const pictor_result *result) {
    return nlohmann::json::parse(pictor_result_json(result));
}

} // namespace pictor_test
