// Never block OBS: destroying a source or shutting OBS down (which unloads the module) while a
// request is on the wire returns promptly, and the log says the request may still be billed.
#include "obs_module_fixture.hpp"

#include <chrono>
#include <thread>

namespace pictor_obs_test {
namespace {

constexpr double generous_s = 60.0;
constexpr double promptly_s = 2.0; // the bound; pictor cancels within about 100 ms

double seconds_since(std::chrono::steady_clock::time_point begin) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
}

TEST_F(ObsModuleTest, DestroyingAGeneratingSourceReturnsPromptly) {
    obs_source_t *source = create_image_source("Pictor slow", "delay=30"); // the mock waits 30 s
    obs_set_output_source(0, source);
    click_button(source, "generate");
    ASSERT_TRUE(wait_until([&] { return obs_->log_contains("generating"); }, generous_s));
    std::this_thread::sleep_for(std::chrono::milliseconds(500)); // let it reach the wire

    const auto begin = std::chrono::steady_clock::now();
    obs_set_output_source(0, nullptr);
    obs_source_release(source); // the last reference: the source is destroyed
    const bool abandoned = wait_until([&] { return obs_->log_contains("may still be billed"); }, promptly_s);
    const double shutdown_s = obs_->shutdown_seconds(); // and the module is unloaded
    const double total_s = seconds_since(begin);
    EXPECT_TRUE(abandoned) << obs_->log_text();
    EXPECT_LT(total_s, promptly_s) << "destroy + shutdown took " << total_s << " s (shutdown " << shutdown_s << " s)";
    EXPECT_FALSE(obs_->log_contains("showing a")) << "an abandoned request must not show up later";
    std::printf("destroy mid-request + obs_shutdown: %.3f s\n", total_s);
}

TEST_F(ObsModuleTest, ShuttingDownDuringARestyleReturnsPromptly) {
    obs_source_t *colour = create_color_source(640, 360, 0xff00ff00);
    obs_data_t *settings = obs_data_create();
    obs_data_set_string(settings, "prompt", "neon outlines");
    obs_data_set_string(settings, "base_url", mock_->base_url("openai", "delay=30").c_str());
    obs_source_t *filter = obs_source_create("pictor_restyle_filter", "Pictor slow restyle", settings, nullptr);
    obs_data_release(settings);
    obs_source_filter_add(colour, filter);
    obs_set_output_source(0, colour); // OBS's graphics thread renders it and takes the snapshot
    click_button(filter, "restyle");
    const bool sending = wait_until([&] { return obs_->log_contains("restyling a 640x360 frame"); }, generous_s);
    obs_source_release(filter); // the source holds the filter
    obs_source_release(colour); // the output channel holds the source
    ASSERT_TRUE(sending) << obs_->log_text();
    std::this_thread::sleep_for(std::chrono::milliseconds(500));

    const double shutdown_s = obs_->shutdown_seconds(); // destroys the source and the filter, unloads
    EXPECT_LT(shutdown_s, promptly_s);
    EXPECT_TRUE(obs_->log_contains("may still be billed")) << obs_->log_text();
    EXPECT_TRUE(obs_->log_contains("[pictor] module unloaded"));
    std::printf("obs_shutdown mid-restyle: %.3f s\n", shutdown_s);
}

} // namespace
} // namespace pictor_obs_test
