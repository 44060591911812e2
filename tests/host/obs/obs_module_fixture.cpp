#include "obs_module_fixture.hpp"

#include <cstdio>

namespace pictor_obs_test {

void ObsModuleTest::SetUp() {
    env_ = std::make_unique<PrivateEnvironment>(PICTOR_PROFILES_DIR);
    mock_ = std::make_unique<pictor_test::MockGatewayProcess>();
    before_obs_starts();
    obs_ = std::make_unique<HeadlessObs>();
    obs_->start();
    obs_->load_builtin_image_sources();
    obs_->load_module(PICTOR_OBS_MODULE_FILE, PICTOR_OBS_MODULE_DATA);
}

void ObsModuleTest::TearDown() {
    if (obs_ && obs_->running())
        obs_->shutdown_seconds();
    if (obs_)
        expect_no_key(obs_->log_text(), "the OBS log");
    obs_.reset();
    mock_.reset();
    env_.reset();
}

obs_source_t *ObsModuleTest::create_image_source(const std::string &name, const std::string &scenario) {
    obs_data_t *settings = obs_data_create();
    obs_data_set_string(settings, "prompt", "a lighthouse at dusk, flat poster style");
    obs_data_set_string(settings, "profile", "openai");
    obs_data_set_string(settings, "base_url", mock_->base_url("openai", scenario).c_str());
    obs_data_set_string(settings, "size", "1024x1024");
    obs_data_set_string(settings, "quality", "low");
    obs_source_t *source = obs_source_create("pictor_image_source", name.c_str(), settings, nullptr);
    obs_data_release(settings);
    return source;
}

obs_source_t *ObsModuleTest::create_color_source(uint32_t width, uint32_t height, uint32_t abgr) {
    obs_data_t *settings = obs_data_create();
    obs_data_set_int(settings, "color", abgr);
    obs_data_set_int(settings, "width", width);
    obs_data_set_int(settings, "height", height);
    obs_source_t *source = obs_source_create("color_source_v3", "test colour", settings, nullptr);
    obs_data_release(settings);
    return source;
}

obs_source_t *ObsModuleTest::reload_after_restart(obs_source_t *source) {
    const std::string name = obs_source_get_name(source);
    obs_data_t *saved = obs_save_source(source);
    obs_set_output_source(0, nullptr);
    obs_source_release(source);
    const bool gone = wait_until([&] {
        obs_source_t *still_there = obs_get_source_by_name(name.c_str());
        obs_source_release(still_there);
        return still_there == nullptr;
    }, 60.0);
    EXPECT_TRUE(gone) << name << " was not destroyed";
    mock_->reset();
    obs_source_t *restored = gone ? obs_load_source(saved) : nullptr; // as when the collection loads
    obs_data_release(saved);
    if (restored)
        obs_set_output_source(0, restored);
    return restored;
}

std::string ObsModuleTest::saved_settings_json(obs_source_t *source) {
    obs_data_t *saved = obs_save_source(source);
    std::string json = obs_data_get_json(saved);
    obs_data_release(saved);
    return json;
}

Pixels ObsModuleTest::decode_file(const std::string &path) {
    // PIL decodes the expected pixels: pictor's own decoder would agree with itself by construction.
    Pixels pixels;
    const std::string command = std::string(PICTOR_TEST_PYTHON) +
                                " -c 'import sys; from PIL import Image; im = Image.open(sys.argv[1]).convert(\"RGBA\"); "
                                "sys.stdout.buffer.write(b\"%d %d\\n\" % im.size + im.tobytes())' '" + path + "'";
    FILE *pipe = popen(command.c_str(), "r");
    if (!pipe || std::fscanf(pipe, "%u %u", &pixels.width, &pixels.height) != 2 || std::fgetc(pipe) != '\n') {
        if (pipe)
            pclose(pipe);
        ADD_FAILURE() << "PIL cannot decode " << path;
        return Pixels{};
    }
    pixels.rgba.resize(size_t(pixels.width) * pixels.height * 4);
    size_t got = std::fread(pixels.rgba.data(), 1, pixels.rgba.size(), pipe);
    if (pclose(pipe) != 0 || got != pixels.rgba.size()) {
        ADD_FAILURE() << "PIL cannot decode " << path;
        return Pixels{};
    }
    return pixels;
}

void ObsModuleTest::expect_no_key(const std::string &text, const char *where) {
    EXPECT_EQ(text.find(env_->api_key()), std::string::npos) << "the API key appears in " << where;
}

} // namespace pictor_obs_test
