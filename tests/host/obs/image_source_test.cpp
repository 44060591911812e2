// The Pictor Image source in real libobs: Generate, the texture, restore from history, errors.
#include "obs_module_fixture.hpp"

#include <filesystem>

namespace pictor_obs_test {
namespace {

constexpr double generous_s = 60.0; // a loaded CI machine; the mock answers in well under 1 s

class ObsImageSource : public ObsModuleTest {
protected:
    // Creates a source, presses Generate, waits for the image; returns the source.
    obs_source_t *generate(const std::string &name) {
        obs_source_t *source = create_image_source(name);
        EXPECT_NE(source, nullptr);
        obs_set_output_source(0, source); // shown, so OBS's graphics thread renders it
        click_button(source, "generate");
        // Previews come first; the final image is the one with a history file.
        EXPECT_TRUE(wait_until([&] { return !history_path_of(source).empty(); }, generous_s))
            << "no image; status: " << property_description(source, "status") << "\n" << obs_->log_text();
        return source;
    }

    std::string history_path_of(obs_source_t *source) {
        obs_data_t *saved = obs_save_source(source);
        obs_data_t *settings = obs_data_get_obj(saved, "settings");
        std::string path = obs_data_get_string(settings, "history_path");
        obs_data_release(settings);
        obs_data_release(saved);
        return path;
    }
};

TEST_F(ObsImageSource, ShowsTheGeneratedImageAsTexture) {
    EXPECT_STREQ(obs_source_get_display_name("pictor_image_source"), "Pictor Image"); // locale loaded
    obs_source_t *source = create_image_source("Pictor art");
    ASSERT_NE(source, nullptr);
    EXPECT_EQ(obs_source_get_width(source), 0u) << "nothing to show before Generate";
    EXPECT_TRUE(mock_->api_requests().empty()) << "creating the source must not send anything";
    obs_set_output_source(0, source);
    click_button(source, "generate");
    ASSERT_TRUE(wait_until([&] { return !history_path_of(source).empty(); }, generous_s))
        << property_description(source, "status") << "\n" << obs_->log_text();
    EXPECT_EQ(obs_source_get_width(source), 1024u);
    EXPECT_EQ(obs_source_get_height(source), 1024u);

    const auto requests = mock_->api_requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0]["endpoint"], "generations");
    EXPECT_EQ(requests[0]["json"]["prompt"], "a lighthouse at dusk, flat poster style");
    EXPECT_EQ(requests[0]["json"]["size"], "1024x1024");
    EXPECT_EQ(requests[0]["json"]["quality"], "low");
    EXPECT_EQ(requests[0]["authorization"], "Bearer " + env_->api_key()) << "the key comes from the environment";

    // What the GPU draws is the image pictor received and wrote to history.
    const std::string history = history_path_of(source);
    ASSERT_FALSE(history.empty());
    EXPECT_EQ(history.rfind(env_->history_dir(), 0), 0u) << history;
    const Pixels expected = decode_file(history);
    Pixels drawn;
    ASSERT_TRUE(wait_until([&] {
        drawn = render_source(source);
        return max_channel_difference(drawn, expected) <= 2;
    }, generous_s));
    EXPECT_GT(distinct_colours(drawn), 8u) << "the mock's image has structure; a flat fill means no texture";
    EXPECT_NE(property_description(source, "status").find("1024x1024"), std::string::npos);

    const std::string saved = saved_settings_json(source);
    expect_no_key(saved, "the saved source settings");
    EXPECT_EQ(saved.find("api_key"), std::string::npos);
    obs_source_release(source);
}

TEST_F(ObsImageSource, ShowsPartialPreviewsWhileTheRouteStreams) {
    // The mock streams two blurred partials, then the image, one event a second.
    obs_source_t *source = create_image_source("Pictor streaming", "sse_delay=1");
    ASSERT_NE(source, nullptr);
    obs_set_output_source(0, source);
    press_hotkey("pictor_image_source.generate"); // the hotkey instead of the button
    ASSERT_TRUE(wait_until([&] { return obs_->log_contains("preview 1 of 2"); }, generous_s)) << obs_->log_text();
    // The preview reaches the screen at the next video tick after its log line. The history is
    // looked at before each render: the final image is kept before it is shown, so a drawn
    // picture with no history file yet can only be a preview.
    Pixels preview;
    bool final_arrived = false;
    ASSERT_TRUE(wait_until([&] {
        final_arrived = !env_->history_files(".png").empty();
        if (final_arrived)
            return true;
        preview = render_source(source);
        return preview.width == 1024u && distinct_colours(preview) > 8u;
    }, generous_s));
    EXPECT_FALSE(final_arrived) << "the final image arrived before any preview was drawn";
    EXPECT_EQ(preview.width, 1024u);
    EXPECT_EQ(preview.height, 1024u);
    EXPECT_GT(distinct_colours(preview), 8u) << "the preview is drawn";

    ASSERT_TRUE(wait_until([&] { return obs_->log_contains("showing a 1024x1024 image"); }, generous_s))
        << obs_->log_text();
    EXPECT_TRUE(obs_->log_contains("preview 2 of 2"));
    const auto history = env_->history_files(".png");
    ASSERT_EQ(history.size(), 1u);
    const Pixels expected = decode_file(history[0]);
    Pixels drawn;
    EXPECT_TRUE(wait_until([&] {
        drawn = render_source(source);
        return max_channel_difference(drawn, expected) <= 2;
    }, generous_s));
    EXPECT_GT(max_channel_difference(preview, expected), 2) << "a preview is not the final image";

    const auto requests = mock_->api_requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0]["json"]["stream"], true);
    EXPECT_EQ(requests[0]["json"]["partial_images"], 2);
    obs_source_release(source);
}

TEST_F(ObsImageSource, RestoresTheLastImageFromHistoryWithoutARequest) {
    obs_source_t *first = generate("Pictor art");
    ASSERT_GT(obs_source_get_width(first), 0u);
    const std::string history = history_path_of(first);
    const Pixels expected = decode_file(history);
    obs_source_t *restored = reload_after_restart(first); // released, then loaded from the save
    ASSERT_NE(restored, nullptr);
    ASSERT_TRUE(wait_until([&] { return obs_source_get_width(restored) > 0; }, generous_s))
        << property_description(restored, "status");
    Pixels drawn;
    EXPECT_TRUE(wait_until([&] {
        drawn = render_source(restored);
        return max_channel_difference(drawn, expected) <= 2;
    }, generous_s));
    EXPECT_EQ(drawn.width, 1024u);
    EXPECT_TRUE(mock_->api_requests().empty()) << "restoring must never re-generate (and re-bill)";
    EXPECT_EQ(history_path_of(restored), history) << "saving again keeps the same image";
    obs_source_release(restored);
}

TEST_F(ObsImageSource, ReportsAGatewayErrorAndKeepsShowingNothing) {
    obs_source_t *source = create_image_source("Pictor refused", "code=moderation_blocked");
    ASSERT_NE(source, nullptr);
    click_button(source, "generate");
    ASSERT_TRUE(wait_until([&] { return obs_->log_contains("safety system"); }, generous_s)) << obs_->log_text();
    const std::string status = property_description(source, "status");
    EXPECT_NE(status.find("Failed"), std::string::npos) << status;
    EXPECT_NE(status.find("safety system"), std::string::npos) << status;
    // In OBS's words: what to change here, not the library's advice about a "moderation" field
    // that OBS does not offer.
    EXPECT_NE(status.find("Change the prompt"), std::string::npos) << status;
    EXPECT_EQ(status.find("moderation"), std::string::npos) << status;
    EXPECT_EQ(obs_source_get_width(source), 0u);
    EXPECT_EQ(mock_->api_requests().size(), 1u) << "a refusal is not retried";
    obs_source_release(source);
}

TEST_F(ObsImageSource, RefusesAnEmptyPromptWithoutSending) {
    obs_data_t *settings = obs_data_create();
    obs_data_set_string(settings, "base_url", mock_->base_url("openai").c_str());
    obs_source_t *source = obs_source_create("pictor_image_source", "Pictor empty", settings, nullptr);
    obs_data_release(settings);
    ASSERT_NE(source, nullptr);
    click_button(source, "generate");
    const std::string status = property_description(source, "status");
    EXPECT_NE(status.find("prompt"), std::string::npos) << status;
    EXPECT_FALSE(obs_->log_contains("generating"));
    EXPECT_TRUE(mock_->api_requests().empty());
    obs_source_release(source);
}

} // namespace
} // namespace pictor_obs_test
