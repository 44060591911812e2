#include "plugin_fixture.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace pictor_test {

std::unique_ptr<MockGatewayProcess> PluginTest::mock_;

void PluginTest::SetUpTestSuite() { mock_ = std::make_unique<MockGatewayProcess>(); }
void PluginTest::TearDownTestSuite() { mock_.reset(); }

void PluginTest::SetUp() {
    std::random_device random;
    key_ = "sk-plugin-canary-" + std::to_string(random()) + std::to_string(random());
    char pattern[] = "/tmp/pictor-plugin-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    temp_dir_ = pattern;
    history_dir_ = temp_dir_ + "/history";
    for (const char *name : {"PICTOR_API_KEY", "OPENAI_API_KEY", "PICTOR_BASE_URL", "OPENAI_BASE_URL", "PICTOR_PROFILE",
                             "PICTOR_HISTORY_DIR"})
        unsetenv(name);
    setenv("XDG_CONFIG_HOME", (temp_dir_ + "/config").c_str(), 1);
    setenv("XDG_DATA_HOME", (temp_dir_ + "/data").c_str(), 1);
    request_ = pictor::make_request("a lighthouse at dusk");
    request_.quality = "low";
    mock().reset();
}

void PluginTest::TearDown() {
    // The canary key must never reach the disk.
    for (const auto &entry : std::filesystem::recursive_directory_iterator(temp_dir_)) {
        if (!entry.is_regular_file())
            continue;
        std::ifstream in(entry.path(), std::ios::binary);
        std::ostringstream content;
        content << in.rdbuf();
        EXPECT_EQ(content.str().find(key_), std::string::npos) << "the API key was written to " << entry.path();
    }
    std::filesystem::remove_all(temp_dir_);
}

pictor::client_ptr PluginTest::client(const std::string &profile, const std::string &scenario, bool run_in_helper) {
    pictor_client_config config = pictor::default_config();
    std::string url = mock().base_url(profile, scenario);
    config.profile = profile.c_str();
    config.base_url = url.c_str();
    config.api_key = key_.c_str();
    config.history_dir = history_dir_.c_str();
    config.profile_dir = PICTOR_PROFILES_DIR;
    config.run_in_helper = run_in_helper ? 1 : 0;
    return pictor::make_client(config);
}

pictor_status PluginTest::run(pictor_client *c, MemoryHost &host, const pictor_command_options &options,
                              pictor::job_ptr *job) {
    pictor_host table = host.table();
    pictor_job *raw = nullptr;
    pictor_status status = pictor_job_start(c, &table, &options, &raw);
    job->reset(raw);
    if (status != PICTOR_OK) {
        EXPECT_EQ(raw, nullptr) << "out-parameters are NULL on failure";
        return status;
    }
    return pictor_job_wait(raw);
}

nlohmann::json PluginTest::result_json(const pictor::job_ptr &job) {
    const char *text = pictor_job_result_json(job.get());
    EXPECT_NE(text, nullptr);
    return text ? nlohmann::json::parse(text) : nlohmann::json();
}

nlohmann::json PluginTest::only_request() {
    nlohmann::json log = mock().api_requests();
    EXPECT_EQ(log.size(), 1u) << log.dump().substr(0, 2000);
    return log.empty() ? nlohmann::json::object() : log[0];
}

std::vector<nlohmann::json> PluginTest::files_named(const nlohmann::json &request, const std::string &name) {
    std::vector<nlohmann::json> out;
    for (const auto &file : request.value("files", nlohmann::json::array()))
        if (file.value("name", "") == name)
            out.push_back(file);
    return out;
}

std::vector<uint8_t> layer_on_canvas(const MemoryLayer &layer, uint32_t canvas_width, uint32_t canvas_height) {
    std::vector<uint8_t> canvas(size_t(canvas_width) * canvas_height * 4, 0);
    for (uint32_t y = 0; y < layer.height; ++y)
        for (uint32_t x = 0; x < layer.width; ++x) {
            int64_t cx = int64_t(x) + layer.offset_x, cy = int64_t(y) + layer.offset_y;
            if (cx < 0 || cy < 0 || cx >= canvas_width || cy >= canvas_height)
                continue;
            std::memcpy(&canvas[(size_t(cy) * canvas_width + size_t(cx)) * 4], layer.pixel(int32_t(x), int32_t(y)), 4);
        }
    return canvas;
}

size_t changed_outside_mask(const AddedLayer &layer, const std::vector<uint8_t> &source_canvas, uint32_t canvas_width) {
    size_t changed = 0;
    for (uint32_t y = 0; y < layer.height; ++y)
        for (uint32_t x = 0; x < layer.width; ++x) {
            size_t i = size_t(y) * layer.width + x;
            if (!layer.mask.empty() && layer.mask[i] != 0)
                continue;
            size_t c = (size_t(y + uint32_t(layer.offset_y)) * canvas_width + x + uint32_t(layer.offset_x)) * 4;
            if (std::memcmp(&layer.composited_rgba[i * 4], &source_canvas[c], 4) != 0)
                ++changed;
        }
    return changed;
}

size_t not_model_inside_mask(const AddedLayer &layer) {
    size_t differ = 0;
    for (size_t i = 0; i < layer.mask.size(); ++i)
        if (layer.mask[i] == 255 && std::memcmp(&layer.composited_rgba[i * 4], &layer.rgba[i * 4], 4) != 0)
            ++differ;
    return differ;
}

size_t rect_selection_mismatches(const AddedLayer &layer, const std::vector<uint8_t> &source_canvas,
                                 uint32_t canvas_width, int32_t x0, int32_t y0, int32_t width, int32_t height,
                                 int32_t reach) {
    size_t wrong = 0;
    for (uint32_t y = 0; y < layer.height; ++y)
        for (uint32_t x = 0; x < layer.width; ++x) {
            const int32_t cx = int32_t(x) + layer.offset_x, cy = int32_t(y) + layer.offset_y;
            const int32_t outside = std::max({x0 - cx, cx - (x0 + width - 1), y0 - cy, cy - (y0 + height - 1), 0});
            const uint8_t *got = &layer.composited_rgba[(size_t(y) * layer.width + x) * 4];
            if (outside > reach)
                wrong += std::memcmp(got, &source_canvas[(size_t(cy) * canvas_width + size_t(cx)) * 4], 4) != 0;
            else if (outside == 0)
                wrong += std::memcmp(got, &layer.rgba[(size_t(y) * layer.width + x) * 4], 4) != 0;
        }
    return wrong;
}

std::vector<uint8_t> decode_file(const std::string &path, uint32_t *width, uint32_t *height) {
    std::ifstream in(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    pictor_image *image = nullptr;
    if (bytes.empty() ||
        pictor_decode_image(reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size(), 0, &image) != PICTOR_OK)
        return {};
    pictor::image_ptr owned(image);
    *width = pictor_image_width(image);
    *height = pictor_image_height(image);
    const uint8_t *rgba = pictor_image_rgba(image);
    return std::vector<uint8_t>(rgba, rgba + size_t(*width) * *height * 4);
}

} // namespace pictor_test
