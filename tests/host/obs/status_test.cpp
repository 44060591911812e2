// What the properties window shows while a request runs and after it ends (read back through
// obs_source_properties, as OBS's window does on each refresh), Cancel, the restyle restored
// after a restart, the history shown in a source, the failure bar, Fit the canvas.
#include "obs_module_fixture.hpp"

#include <pictor/pictor.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <sys/stat.h>
#include <thread>

namespace pictor_obs_test {
namespace {

constexpr double generous_s = 60.0;

std::string status_of(obs_source_t *source) { return property_description(source, "status"); }

bool contains(const std::string &text, const std::string &part) { return text.find(part) != std::string::npos; }

size_t occurrences(const std::string &text, const std::string &part) {
    size_t count = 0;
    for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size()))
        ++count;
    return count;
}

TEST_F(ObsModuleTest, StatusFollowsTheRequestAndTheButtonsFollowTheState) {
    obs_source_t *source = create_image_source("Pictor status", "delay=4"); // the mock waits 4 s
    ASSERT_NE(source, nullptr);
    obs_set_output_source(0, source);
    PropertiesRefreshCounter refreshes(source);
    EXPECT_TRUE(property_enabled(source, "generate"));
    EXPECT_FALSE(property_visible(source, "cancel")) << "Cancel only while a request runs";
    const std::string before = status_of(source);

    click_button(source, "generate");
    std::string waiting;
    ASSERT_TRUE(wait_until([&] {
        waiting = status_of(source);
        return contains(waiting, "waiting for the image");
    }, generous_s)) << waiting;
    EXPECT_NE(waiting, before);
    EXPECT_TRUE(contains(waiting, "Generating")) << waiting;
    EXPECT_FALSE(property_enabled(source, "generate")) << "Generate is disabled while busy";
    EXPECT_TRUE(property_visible(source, "cancel"));
    EXPECT_TRUE(contains(property_long_description(source, "cancel"), "may still be billed"));
    // The elapsed time moves, and the open window is told to reload each time.
    const int refreshes_then = refreshes.count();
    std::string later;
    EXPECT_TRUE(wait_until([&] {
        later = status_of(source);
        return contains(later, "waiting for the image") && later != waiting;
    }, 3.0)) << waiting << " / " << later;
    EXPECT_GT(refreshes.count(), refreshes_then) << "the window must be refreshed while the request runs";

    ASSERT_TRUE(wait_until([&] { return obs_->log_contains("showing a 1024x1024 image"); }, generous_s))
        << obs_->log_text();
    const int refreshes_at_end = refreshes.count();
    std::string done;
    EXPECT_TRUE(wait_until([&] {
        done = status_of(source);
        return contains(done, "Showing 1024x1024");
    }, 5.0)) << done;
    EXPECT_EQ(occurrences(done, "req_1"), 1u) << "the request id once: " << done;
    EXPECT_TRUE(wait_until([&] { return refreshes.count() > refreshes_then; }, 5.0));
    EXPECT_GE(refreshes.count(), refreshes_at_end);
    EXPECT_TRUE(property_enabled(source, "generate"));
    EXPECT_FALSE(property_visible(source, "cancel"));
    // The price of the next click and what this session has spent.
    const std::string cost = property_description(source, "cost");
    EXPECT_TRUE(contains(cost, "Each click: about $")) << cost;
    EXPECT_TRUE(contains(cost, "(1 images)")) << cost;
    obs_source_release(source);
}

TEST_F(ObsModuleTest, CancelEndsTheRequestAndSaysItMayBeBilled) {
    obs_source_t *source = create_image_source("Pictor cancel", "delay=30");
    obs_set_output_source(0, source);
    click_button(source, "generate");
    ASSERT_TRUE(wait_until([&] { return contains(status_of(source), "waiting for the image"); }, generous_s))
        << status_of(source);
    const auto begin = std::chrono::steady_clock::now();
    click_button(source, "cancel");
    std::string status;
    ASSERT_TRUE(wait_until([&] {
        status = status_of(source);
        return contains(status, "Cancelled");
    }, 2.0)) << status;
    EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count(), 2.0);
    EXPECT_TRUE(contains(status, "may still be billed")) << status;
    EXPECT_TRUE(property_enabled(source, "generate"));
    EXPECT_FALSE(property_visible(source, "cancel"));
    EXPECT_EQ(obs_source_get_width(source), 0u);
    EXPECT_EQ(mock_->api_requests().size(), 1u);
    obs_source_release(source);
}

TEST_F(ObsModuleTest, AFailureKeepsTheLastImageAndShowsARedBarThatCanBeTurnedOff) {
    obs_source_t *source = create_image_source("Pictor fails later");
    obs_set_output_source(0, source);
    click_button(source, "generate");
    ASSERT_TRUE(wait_until([&] { return obs_->log_contains("showing a 1024x1024 image"); }, generous_s));
    const Pixels good = decode_file(env_->history_files(".png").at(0));
    Pixels drawn;
    ASSERT_TRUE(wait_until([&] { return max_channel_difference(drawn = render_source(source), good) <= 2; }, generous_s));

    // The gateway now refuses: the image stays, the log warns, a red bar runs along the top.
    obs_data_t *settings = obs_source_get_settings(source);
    obs_data_set_string(settings, "base_url", mock_->base_url("openai", "code=moderation_blocked").c_str());
    obs_source_update(source, settings);
    obs_data_release(settings);
    std::this_thread::sleep_for(std::chrono::milliseconds(300)); // OBS applies it at the next video tick
    click_button(source, "generate");
    ASSERT_TRUE(wait_until([&] { return contains(status_of(source), "Failed"); }, generous_s)) << status_of(source);
    const std::string status = status_of(source);
    EXPECT_FALSE(contains(status, "--")) << "no command-line options in OBS: " << status;
    EXPECT_TRUE(contains(status, "nothing was billed")) << status;
    EXPECT_LE(occurrences(status, "req_2"), 1u) << status;
    EXPECT_TRUE(obs_->log_contains("safety system") || obs_->log_contains("refused")) << obs_->log_text();
    auto red = [](const Pixels &p, uint32_t x, uint32_t y) {
        const uint8_t *px = p.at(x, y);
        return px[0] > 200 && px[1] < 60 && px[2] < 60;
    };
    ASSERT_TRUE(wait_until([&] {
        drawn = render_source(source);
        return drawn.width == 1024 && red(drawn, 0, 0) && red(drawn, 1023, 0) && red(drawn, 512, 3);
    }, 10.0)) << "top-left pixel: " << int(drawn.at(0, 0)[0]) << "," << int(drawn.at(0, 0)[1]) << ","
               << int(drawn.at(0, 0)[2]) << "," << int(drawn.at(0, 0)[3]);
    std::string where;
    Pixels below = drawn, expected_below = good;
    const size_t bar_bytes = size_t(1024) * 4 * 30; // the bar is 1/40 of the height: 25 rows
    below.rgba.erase(below.rgba.begin(), below.rgba.begin() + bar_bytes);
    expected_below.rgba.erase(expected_below.rgba.begin(), expected_below.rgba.begin() + bar_bytes);
    below.height = expected_below.height = 1024 - 30;
    EXPECT_LE(max_channel_difference(below, expected_below, &where), 2) << "the last good image stays: " << where;

    settings = obs_source_get_settings(source);
    obs_data_set_bool(settings, "failure_indicator", false);
    obs_source_update(source, settings);
    obs_data_release(settings);
    EXPECT_TRUE(wait_until([&] { return max_channel_difference(render_source(source), good) <= 2; }, generous_s))
        << "the bar can be turned off";
    EXPECT_EQ(mock_->api_requests().size(), 2u);
    obs_source_release(source);
}

TEST_F(ObsModuleTest, RestyleIsRestoredFromHistoryAfterARestartWithoutARequest) {
    obs_source_t *colour = create_color_source(1024, 1024, 0xff336699);
    obs_data_t *settings = obs_data_create();
    obs_data_set_string(settings, "prompt", "the same scene as a watercolour");
    obs_data_set_string(settings, "profile", "openai");
    obs_data_set_string(settings, "base_url", mock_->base_url("openai").c_str());
    obs_source_t *filter = obs_source_create("pictor_restyle_filter", "Pictor look", settings, nullptr);
    obs_data_release(settings);
    obs_source_filter_add(colour, filter);
    obs_set_output_source(0, colour);
    ASSERT_TRUE(wait_until([&] { return render_source(colour).width == 1024; }, generous_s));
    click_button(filter, "restyle");
    ASSERT_TRUE(wait_until([&] { return obs_->log_contains("showing a 1024x1024 result"); }, generous_s))
        << obs_->log_text();
    const auto history = env_->history_files(".png");
    ASSERT_EQ(history.size(), 1u);
    const Pixels expected = decode_file(history[0]);

    obs_source_release(filter); // the source holds it, and saves it with itself
    obs_source_t *restored = reload_after_restart(colour);
    ASSERT_NE(restored, nullptr);
    std::string where;
    EXPECT_TRUE(wait_until([&] { return max_channel_difference(render_source(restored), expected, &where) <= 2; },
                           generous_s))
        << "the restyled look comes back: " << where << "\n" << obs_->log_text();
    EXPECT_TRUE(mock_->api_requests().empty()) << "restoring must never restyle (and bill) again";
    obs_source_release(restored);
}

TEST_F(ObsModuleTest, SettingsEntryStoresTheKeyWherePictorReadsIt) {
    unsetenv("PICTOR_API_KEY"); // the key must now come from what the settings window stored
    const std::string key = "sk-obs-settings-" + std::to_string(std::random_device{}());
    obs_source_t *window = obs_source_create_private("pictor_settings", "Pictor Settings", nullptr);
    ASSERT_NE(window, nullptr);
    obs_data_t *settings = obs_source_get_settings(window);
    obs_data_set_string(settings, "api_key", key.c_str());
    obs_data_set_int(settings, "key_store", PICTOR_KEY_STORE_CONFIG_FILE);
    obs_source_update(window, settings);
    obs_data_release(settings);
    click_button(window, "save_key");

    // `pictor login`'s file: $XDG_CONFIG_HOME/pictor/config.json, readable by its owner only.
    const std::string config = env_->dir() + "/config/pictor/config.json";
    std::ifstream in(config);
    ASSERT_TRUE(in.good()) << property_description(window, "result");
    const nlohmann::json stored = nlohmann::json::parse(in, nullptr, false);
    EXPECT_EQ(stored.value("api_key", ""), key);
    struct stat info {};
    ASSERT_EQ(stat(config.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600u);
    EXPECT_TRUE(contains(property_description(window, "result"), config)) << property_description(window, "result");
    settings = obs_source_get_settings(window);
    EXPECT_STREQ(obs_data_get_string(settings, "api_key"), "") << "the pasted key is not kept in OBS";
    obs_data_release(settings);

    // A source now uses it, and says where it comes from.
    obs_source_t *source = create_image_source("Pictor with stored key");
    EXPECT_TRUE(contains(property_description(source, "key_source"), config))
        << property_description(source, "key_source");
    click_button(source, "generate");
    ASSERT_TRUE(wait_until([&] { return obs_->log_contains("showing a 1024x1024 image"); }, generous_s))
        << status_of(source);
    ASSERT_EQ(mock_->api_requests().size(), 1u);
    EXPECT_EQ(mock_->api_requests()[0]["authorization"], "Bearer " + key);
    EXPECT_FALSE(obs_->log_contains(key)) << "the key must never reach the log";
    obs_source_release(source);
    obs_source_release(window);
}

TEST_F(ObsModuleTest, AHistoryEntryIsShownInAnotherSourceWithoutARequest) {
    obs_source_t *first = create_image_source("Pictor first");
    obs_set_output_source(0, first);
    click_button(first, "generate");
    ASSERT_TRUE(wait_until([&] { return obs_->log_contains("showing a 1024x1024 image"); }, generous_s));
    const auto history = env_->history_files(".png");
    ASSERT_EQ(history.size(), 1u);
    const Pixels expected = decode_file(history[0]);
    obs_set_output_source(0, nullptr);
    obs_source_release(first);

    obs_data_t *settings = obs_data_create();
    obs_data_set_string(settings, "size", "1024x1024"); // shown at its own size
    obs_source_t *second = obs_source_create("pictor_image_source", "Pictor second", settings, nullptr);
    obs_data_release(settings);
    obs_set_output_source(0, second);
    // The list, as the window shows it: the newest entry first, with its prompt.
    std::string label, id;
    {
        obs_properties_t *props = obs_source_properties(second);
        obs_property_t *list = obs_properties_get(props, "history_entry");
        ASSERT_NE(list, nullptr);
        ASSERT_GE(obs_property_list_item_count(list), 1u);
        label = obs_property_list_item_name(list, 0);
        id = obs_property_list_item_string(list, 0);
        obs_properties_destroy(props);
    }
    EXPECT_TRUE(contains(label, "a lighthouse at dusk")) << label;
    EXPECT_TRUE(contains(label, "(1024x1024)")) << label;
    EXPECT_TRUE(contains(history[0], id)) << id << " names " << history[0];
    settings = obs_source_get_settings(second);
    obs_data_set_string(settings, "history_entry", id.c_str());
    obs_source_update(second, settings);
    obs_data_release(settings);
    click_button(second, "show_history");
    std::string where;
    EXPECT_TRUE(wait_until([&] { return max_channel_difference(render_source(second), expected, &where) <= 2; },
                           generous_s))
        << where << "\n" << status_of(second);
    EXPECT_EQ(mock_->api_requests().size(), 1u) << "showing a history entry sends nothing";
    // And it is what the source keeps for the next start.
    obs_data_t *saved = obs_save_source(second);
    obs_data_t *saved_settings = obs_data_get_obj(saved, "settings");
    EXPECT_EQ(std::string(obs_data_get_string(saved_settings, "history_path")), history[0]);
    obs_data_release(saved_settings);
    obs_data_release(saved);
    obs_source_release(second);
}

TEST_F(ObsModuleTest, ANewSourceFitsTheCanvas) {
    // No size set: the default, Fit the canvas. The test's canvas is 1280x720, which the openai
    // route takes as it is (sides multiples of 16, 921,600 pixels, ratio under 3:1).
    obs_data_t *settings = obs_data_create();
    obs_data_set_string(settings, "prompt", "a wide harbour");
    obs_data_set_string(settings, "profile", "openai");
    obs_data_set_string(settings, "base_url", mock_->base_url("openai").c_str());
    obs_source_t *source = obs_source_create("pictor_image_source", "Pictor fit", settings, nullptr);
    obs_data_release(settings);
    obs_set_output_source(0, source);
    // Defaults show words, and the size the route would get.
    obs_properties_t *props = obs_source_properties(source);
    obs_property_t *sizes = obs_properties_get(props, "size");
    ASSERT_NE(sizes, nullptr);
    EXPECT_STREQ(obs_property_list_item_string(sizes, 0), "canvas");
    EXPECT_TRUE(contains(obs_property_list_item_name(sizes, 0), "Fit the canvas (1280x720)"))
        << obs_property_list_item_name(sizes, 0);
    obs_properties_destroy(props);
    EXPECT_TRUE(contains(property_description(source, "cost"), "1280x720")) << property_description(source, "cost");

    click_button(source, "generate");
    ASSERT_TRUE(wait_until([&] { return obs_->log_contains("showing a"); }, generous_s)) << status_of(source);
    ASSERT_EQ(mock_->api_requests().size(), 1u);
    EXPECT_EQ(mock_->api_requests()[0]["json"]["size"], "1280x720");
    EXPECT_EQ(obs_source_get_width(source), 1280u);
    EXPECT_EQ(obs_source_get_height(source), 720u);
    obs_source_release(source);
}

} // namespace
} // namespace pictor_obs_test
