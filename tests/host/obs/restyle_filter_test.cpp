// The Pictor Restyle filter in real libobs, on OBS's own color source: snapshot, edit request,
// the result drawn over the source, Clear.
#include "obs_module_fixture.hpp"

namespace pictor_obs_test {
namespace {

constexpr double generous_s = 60.0;

obs_source_t *create_restyle_filter(const std::string &base_url) {
    obs_data_t *settings = obs_data_create();
    obs_data_set_string(settings, "prompt", "the same scene as a watercolour");
    obs_data_set_string(settings, "profile", "openai");
    obs_data_set_string(settings, "base_url", base_url.c_str());
    obs_data_set_string(settings, "quality", "low");
    obs_source_t *filter = obs_source_create("pictor_restyle_filter", "Pictor restyle", settings, nullptr);
    obs_data_release(settings);
    return filter;
}

TEST_F(ObsModuleTest, RestyleFilterSendsTheFrameAndShowsTheResult) {
    EXPECT_STREQ(obs_source_get_display_name("pictor_restyle_filter"), "Pictor Restyle");
    obs_source_t *colour = create_color_source(1024, 1024, 0xff336699);
    ASSERT_NE(colour, nullptr);
    obs_source_t *filter = create_restyle_filter(mock_->base_url("openai"));
    ASSERT_NE(filter, nullptr);
    obs_source_filter_add(colour, filter);
    obs_set_output_source(0, colour);

    // Before a restyle the filter passes the source through untouched: one opaque colour.
    // (The very first frames of a new source may still be empty.)
    Pixels original;
    ASSERT_TRUE(wait_until([&] {
        original = render_source(colour);
        return original.width == 1024 && original.rgba[3] == 255;
    }, generous_s));
    ASSERT_EQ(distinct_colours(original), 1u);
    EXPECT_TRUE(mock_->api_requests().empty());

    click_button(filter, "restyle");
    ASSERT_TRUE(wait_until([&] { return obs_->log_contains("showing a 1024x1024 result"); }, generous_s))
        << property_description(filter, "status") << "\n" << obs_->log_text();

    const auto requests = mock_->api_requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0]["endpoint"], "edits");
    EXPECT_EQ(requests[0]["fields"]["prompt"], "the same scene as a watercolour");
    ASSERT_EQ(requests[0]["files"].size(), 1u);
    const auto &frame = requests[0]["files"][0];
    EXPECT_EQ(frame["format"], "png");
    EXPECT_EQ(frame["content_type"], "image/png");
    EXPECT_EQ(frame["width"], 1024) << "the snapshot has the source's size";
    EXPECT_EQ(frame["height"], 1024);
    EXPECT_EQ(requests[0]["authorization"], "Bearer " + env_->api_key());

    // The filter now draws the received image (same size here, so pixel for pixel).
    const auto history = env_->history_files(".png");
    ASSERT_EQ(history.size(), 1u);
    const Pixels expected = decode_file(history[0]);
    ASSERT_EQ(expected.width, 1024u);
    Pixels drawn;
    std::string where;
    EXPECT_TRUE(wait_until([&] {
        drawn = render_source(colour);
        return max_channel_difference(drawn, expected, &where) <= 2;
    }, generous_s)) << where;
    EXPECT_GT(distinct_colours(drawn), 8u);
    EXPECT_EQ(obs_source_get_width(colour), 1024u) << "the source keeps its size";

    // Clear: the source shows again, exactly as before.
    click_button(filter, "clear");
    EXPECT_TRUE(wait_until([&] { return max_channel_difference(render_source(colour), original, &where) == 0; }, generous_s))
        << where;
    EXPECT_EQ(mock_->api_requests().size(), 1u);

    obs_source_release(filter);
    obs_source_release(colour);
}

TEST_F(ObsModuleTest, RestyleFilterHotkeysScaleAResultOfAnotherSizeToTheSource) {
    // A 16:9 source: the mock answers the closest preset (1536x1024); the filter fills the
    // source's 1280x720 with it. Restyle and Clear through their hotkeys.
    obs_source_t *colour = create_color_source(1280, 720, 0xff204080);
    obs_source_t *filter = create_restyle_filter(mock_->base_url("openai"));
    obs_source_filter_add(colour, filter);
    obs_set_output_source(0, colour);
    Pixels original;
    ASSERT_TRUE(wait_until([&] {
        original = render_source(colour);
        return original.width == 1280 && original.rgba[3] == 255;
    }, generous_s));
    press_hotkey("pictor_restyle_filter.restyle"); // the hotkey, this time
    ASSERT_TRUE(wait_until([&] { return obs_->log_contains("result from"); }, generous_s)) << obs_->log_text();
    const auto requests = mock_->api_requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0]["files"][0]["width"], 1280);
    EXPECT_EQ(requests[0]["files"][0]["height"], 720);
    Pixels drawn;
    EXPECT_TRUE(wait_until([&] {
        drawn = render_source(colour);
        return distinct_colours(drawn) > 8;
    }, generous_s));
    EXPECT_EQ(drawn.width, 1280u);
    EXPECT_EQ(drawn.height, 720u);
    EXPECT_GT(max_channel_difference(drawn, original), 10);

    press_hotkey("pictor_restyle_filter.clear");
    std::string where;
    EXPECT_TRUE(wait_until([&] { return max_channel_difference(render_source(colour), original, &where) == 0; }, generous_s))
        << where;
    obs_source_release(filter);
    obs_source_release(colour);
}

} // namespace
} // namespace pictor_obs_test
