// The module as the README installs it: `cmake --install build --component obs --prefix
// <plugins>/pictor`. OBS's own module search (the per-user pattern <plugins>/%module%/bin/64bit)
// must find it, it must bring its libpictor and profiles, and it must work. This program does
// not link libpictor itself, so the copy the module loads can only be the installed one.
#include "gpu_readback.hpp"
#include "headless_obs.hpp"
#include "private_environment.hpp"

#include "mock_gateway_process.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>

namespace pictor_obs_test {
namespace {

struct FoundModule {
    std::string bin_path;
    std::string data_path;
};

void remember_pictor(void *found, const obs_module_info2 *info) {
    if (std::string(info->name) == "pictor")
        *static_cast<FoundModule *>(found) = {info->bin_path, info->data_path};
}

std::string loaded_libpictor() {
    std::ifstream maps("/proc/self/maps");
    std::string line;
    while (std::getline(maps, line)) {
        const auto at = line.find('/');
        if (at != std::string::npos && line.find("/libpictor.so", at) != std::string::npos)
            return line.substr(at);
    }
    return "";
}

TEST(ObsInstalledModule, IsFoundInThePerUserFolderAndGenerates) {
    const char *plugins = std::getenv("PICTOR_OBS_PLUGINS_DIR");
    ASSERT_NE(plugins, nullptr) << "run through run_obs_test.sh --install";
    PrivateEnvironment env(""); // no PICTOR_PROFILE_DIR: the installed profiles must be found
    pictor_test::MockGatewayProcess mock;
    HeadlessObs obs;
    obs.start();

    // What OBS Studio does for ~/.config/obs-studio/plugins.
    const std::string root = plugins;
    obs_add_module_path((root + "/%module%/bin/64bit").c_str(), (root + "/%module%/data").c_str());
    FoundModule found;
    obs_find_modules2(remember_pictor, &found);
    ASSERT_EQ(found.bin_path, root + "/pictor/bin/64bit/pictor.so");
    obs.load_module(found.bin_path, found.data_path);
    EXPECT_EQ(loaded_libpictor().rfind(root + "/pictor/bin/64bit/libpictor.so", 0), 0u)
        << "loaded: " << loaded_libpictor();
    EXPECT_STREQ(obs_source_get_display_name("pictor_image_source"), "Pictor Image");

    obs_data_t *settings = obs_data_create();
    obs_data_set_string(settings, "prompt", "a paper boat");
    obs_data_set_string(settings, "profile", "openai");
    obs_data_set_string(settings, "base_url", mock.base_url("openai").c_str());
    obs_data_set_string(settings, "size", "1536x1024");
    obs_source_t *source = obs_source_create("pictor_image_source", "installed", settings, nullptr);
    obs_data_release(settings);
    ASSERT_NE(source, nullptr);
    click_button(source, "generate");
    ASSERT_TRUE(wait_until([&] { return obs.log_contains("showing a 1536x1024 image"); }, 60.0))
        << property_description(source, "status") << "\n" << obs.log_text();
    EXPECT_EQ(obs_source_get_width(source), 1536u);
    EXPECT_EQ(obs_source_get_height(source), 1024u);
    EXPECT_GT(distinct_colours(render_source(source)), 8u);
    EXPECT_EQ(env.history_files(".png").size(), 1u);
    obs_source_release(source);
    obs.shutdown_seconds();
    EXPECT_EQ(obs.log_text().find(env.api_key()), std::string::npos);
}

} // namespace
} // namespace pictor_obs_test
