// The Pictor Restyle filter in real libobs, on OBS's own color source: snapshot, edit request,
// the result drawn over the source, Clear.
#include "obs_module_fixture.hpp"

#include <fstream>

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

// A 24-bit BMP written byte by byte (no pictor, no PIL): pixels the test knows exactly, and no
// two rows or columns alike, so a flipped, shifted or stale frame cannot pass.
Pixels write_pattern_bmp(const std::string &path, uint32_t width, uint32_t height) {
    Pixels pattern{width, height, std::vector<uint8_t>(size_t(width) * height * 4)};
    for (uint32_t y = 0; y < height; ++y)
        for (uint32_t x = 0; x < width; ++x) {
            uint8_t *p = pattern.rgba.data() + (size_t(y) * width + x) * 4;
            p[0] = uint8_t(x * 255 / (width - 1));
            p[1] = uint8_t(y * 255 / (height - 1));
            p[2] = uint8_t((x * 3 + y * 7) & 0xFF);
            p[3] = 255;
        }
    const uint32_t row = (width * 3 + 3) & ~3u, data_size = row * height;
    std::string bmp = "BM";
    auto u32 = [&](uint32_t v) { for (int i = 0; i < 4; ++i) bmp += char((v >> (8 * i)) & 0xFF); };
    auto u16 = [&](uint16_t v) { bmp += char(v & 0xFF); bmp += char(v >> 8); };
    u32(54 + data_size); u32(0); u32(54);                        // file header
    u32(40); u32(width); u32(height); u16(1); u16(24); u32(0);   // BITMAPINFOHEADER, bottom-up
    u32(data_size); u32(2835); u32(2835); u32(0); u32(0);
    for (uint32_t y = height; y-- > 0;) {
        for (uint32_t x = 0; x < width; ++x) {
            const uint8_t *p = pattern.at(x, y);
            bmp += char(p[2]); bmp += char(p[1]); bmp += char(p[0]);
        }
        bmp.append(row - width * 3, '\0');
    }
    std::ofstream(path, std::ios::binary) << bmp;
    return pattern;
}

TEST_F(ObsModuleTest, RestyleUploadIsTheFrameOnScreen) {
    const std::string file = env_->dir() + "/frame.bmp";
    const Pixels pattern = write_pattern_bmp(file, 640, 360);
    obs_data_t *settings = obs_data_create();
    obs_data_set_string(settings, "file", file.c_str());
    obs_source_t *picture = obs_source_create("image_source", "test picture", settings, nullptr);
    obs_data_release(settings);
    ASSERT_NE(picture, nullptr);
    obs_source_t *filter = create_restyle_filter(mock_->base_url("openai"));
    obs_source_filter_add(picture, filter);
    obs_set_output_source(0, picture);

    // What is on screen is the picture, exactly.
    Pixels on_screen;
    std::string where;
    ASSERT_TRUE(wait_until([&] {
        on_screen = render_source(picture);
        return max_channel_difference(on_screen, pattern, &where) == 0;
    }, generous_s)) << where;

    click_button(filter, "restyle");
    ASSERT_TRUE(wait_until([&] { return obs_->log_contains("result from"); }, generous_s)) << obs_->log_text();
    const auto requests = mock_->api_requests();
    ASSERT_EQ(requests.size(), 1u);
    ASSERT_EQ(requests[0]["files"].size(), 1u);
    const auto &part = requests[0]["files"][0];
    // The upload, decoded by the mock's PIL, is the frame that was on screen.
    Pixels uploaded{part["width"].get<uint32_t>(), part["height"].get<uint32_t>(), {}};
    const std::string rgba = mock_->get(part["fetch"].get<std::string>() + ".rgba");
    uploaded.rgba.assign(rgba.begin(), rgba.end());
    ASSERT_EQ(uploaded.rgba.size(), size_t(uploaded.width) * uploaded.height * 4);
    EXPECT_EQ(max_channel_difference(uploaded, on_screen, &where), 0) << "the upload is not the frame on screen: " << where;

    obs_source_release(filter);
    obs_source_release(picture);
}

} // namespace
} // namespace pictor_obs_test
