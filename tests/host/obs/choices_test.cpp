// The choices of the properties and Pictor Settings in real libobs: the model (from a profile
// file the test writes), the upload quality of a restyle, images that arrived while OBS was away,
// and Test the connection.
#include "obs_module_fixture.hpp"

#include <pictor/pictor.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>
#include <vector>

namespace pictor_obs_test {
namespace {

constexpr double generous_s = 60.0;

bool contains(const std::string &text, const std::string &part) { return text.find(part) != std::string::npos; }

// The values of a list property, in order.
std::vector<std::string> list_values(obs_property_t *list) {
    std::vector<std::string> values;
    for (size_t i = 0; i < obs_property_list_item_count(list); ++i)
        values.push_back(obs_property_list_item_string(list, i));
    return values;
}

// What OBS's properties window does when the user picks value in a list: the setting changes,
// then the property's modified callback runs on the same (open) properties.
void choose(obs_source_t *source, obs_properties_t *props, const char *name, const char *value) {
    obs_data_t *settings = obs_source_get_settings(source);
    obs_data_set_string(settings, name, value);
    obs_property_modified(obs_properties_get(props, name), settings);
    obs_source_update(source, settings);
    obs_data_release(settings);
}

nlohmann::json history_list() {
    char *json = nullptr;
    EXPECT_EQ(pictor_history_list(nullptr, &json), PICTOR_OK);
    nlohmann::json list = nlohmann::json::parse(json ? json : "[]");
    pictor_free(json);
    return list;
}

TEST_F(ObsModuleTest, TheModelChoiceComesFromTheProfileAndRefreshesQualitiesComplexityAndPrice) {
    // A user's profile file adds a newer model, with a quality and a complexity gpt-image-2 lacks
    // and a flat price of its own; nothing in the module knows this model.
    const std::string folder = env_->dir() + "/config/pictor/profiles";
    std::filesystem::create_directories(folder);
    std::ofstream(folder + "/openai-newer.json") << R"({"extends": "openai", "models": [{
        "model": "gpt-image-2.6-flare", "description": "added by the user",
        "quality_values": {"low": "low", "medium": "medium", "high": "high", "xhigh": "xhigh"},
        "complexity_values": {"low": "low", "medium": "medium", "high": "high"},
        "pricing": {"kind": "per_call", "usd": 0.5}}]})";
    obs_data_t *settings = obs_data_create();
    obs_data_set_string(settings, "prompt", "a lighthouse at dusk");
    obs_data_set_string(settings, "profile", "openai-newer");
    obs_data_set_string(settings, "base_url", mock_->base_url("openai").c_str());
    obs_data_set_string(settings, "size", "1024x1024");
    obs_data_set_string(settings, "quality", "low");
    obs_source_t *source = obs_source_create("pictor_image_source", "Pictor models", settings, nullptr);
    obs_data_release(settings);
    obs_set_output_source(0, source);

    obs_properties_t *props = obs_source_properties(source);
    obs_property_t *models = obs_properties_get(props, "model");
    ASSERT_NE(models, nullptr);
    EXPECT_EQ(list_values(models), (std::vector<std::string>{"", "gpt-image-2", "gpt-image-2.6-flare"}));
    EXPECT_TRUE(contains(obs_property_list_item_name(models, 0), "gpt-image-2")) << "the default is named";
    EXPECT_EQ(list_values(obs_properties_get(props, "quality")),
              (std::vector<std::string>{"", "low", "medium", "high", "auto"}));
    EXPECT_FALSE(obs_property_visible(obs_properties_get(props, "complexity"))) << "gpt-image-2 takes none";
    EXPECT_FALSE(contains(obs_property_description(obs_properties_get(props, "cost")), "$0.50"));
    obs_property_t *previews = obs_properties_get(props, "previews");
    ASSERT_NE(previews, nullptr);
    EXPECT_EQ(obs_property_int_min(previews), 0);
    EXPECT_EQ(obs_property_int_max(previews), 3) << "the Images API streams 0-3 partial images";

    choose(source, props, "model", "gpt-image-2.6-flare");
    // The entry's qualities laid over the default model's ("auto" stays: the file did not remove it).
    EXPECT_EQ(list_values(obs_properties_get(props, "quality")),
              (std::vector<std::string>{"", "low", "medium", "high", "xhigh", "auto"}));
    obs_property_t *complexity = obs_properties_get(props, "complexity");
    EXPECT_TRUE(obs_property_visible(complexity));
    EXPECT_EQ(list_values(complexity), (std::vector<std::string>{"", "low", "medium", "high"}));
    EXPECT_TRUE(contains(obs_property_description(obs_properties_get(props, "cost")), "$0.50"))
        << obs_property_description(obs_properties_get(props, "cost"));
    EXPECT_TRUE(contains(obs_property_list_item_name(obs_properties_get(props, "quality"), 4), "$0.50"))
        << "each quality with its price: " << obs_property_list_item_name(obs_properties_get(props, "quality"), 4);
    choose(source, props, "quality", "xhigh");
    choose(source, props, "complexity", "high");
    obs_properties_destroy(props);
    std::this_thread::sleep_for(std::chrono::milliseconds(300)); // OBS applies settings at a video tick

    click_button(source, "generate");
    ASSERT_TRUE(wait_until([&] { return obs_->log_contains("showing a 1024x1024 image"); }, generous_s))
        << property_description(source, "status");
    const auto requests = mock_->api_requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0]["json"]["model"], "gpt-image-2.6-flare");
    EXPECT_EQ(requests[0]["json"]["quality"], "xhigh");
    EXPECT_EQ(requests[0]["json"]["complexity"], "high");

    // Back to the default model: a quality and a complexity it does not take are dropped.
    props = obs_source_properties(source);
    choose(source, props, "model", "");
    EXPECT_FALSE(obs_property_visible(obs_properties_get(props, "complexity")));
    obs_properties_destroy(props);
    settings = obs_source_get_settings(source);
    EXPECT_STREQ(obs_data_get_string(settings, "quality"), "");
    EXPECT_STREQ(obs_data_get_string(settings, "complexity"), "");
    obs_data_release(settings);
    obs_source_release(source);
}

// The properties are rebuilt about once a second while a request runs; each rebuild (and the
// modified callback of every list, which OBS runs on it) prices every quality at the canvas
// size and reads the route's profile: one client serves them all, kept a few seconds.
TEST_F(ObsModuleTest, APropertiesRebuildMakesOneClientForTheRoute) {
    auto clients_made_by = [&](const std::function<void()> &rebuild) {
        const size_t before = obs_->log_lines().size();
        rebuild();
        const auto lines = obs_->log_lines();
        int made = 0;
        for (size_t i = before; i < lines.size(); ++i)
            made += contains(lines[i], "client made for profile 'openai'");
        return made;
    };
    obs_data_t *settings = obs_data_create();
    obs_data_set_string(settings, "prompt", "a lighthouse at dusk");
    obs_data_set_string(settings, "profile", "openai");
    obs_data_set_string(settings, "base_url", mock_->base_url("openai").c_str());
    obs_data_set_string(settings, "size", "canvas");
    obs_source_t *source = obs_source_create("pictor_image_source", "Pictor clients", settings, nullptr);
    obs_source_t *filter = obs_source_create("pictor_restyle_filter", "Pictor clients restyle", settings, nullptr);
    obs_data_release(settings);

    obs_properties_t *props = nullptr;
    EXPECT_EQ(clients_made_by([&] { props = obs_source_properties(source); }), 1);
    // The prices shown were worked out (one per quality), so one client served several uses.
    ASSERT_NE(props, nullptr);
    EXPECT_TRUE(contains(obs_property_list_item_name(obs_properties_get(props, "quality"), 1), "$"))
        << obs_property_list_item_name(obs_properties_get(props, "quality"), 1);
    EXPECT_LE(clients_made_by([&] { choose(source, props, "quality", "low"); }), 1);
    obs_properties_destroy(props);
    EXPECT_LE(clients_made_by([&] { obs_properties_destroy(obs_source_properties(filter)); }), 1);
    // Not kept for ever: a key stored meanwhile by the command line shows a few seconds later.
    std::this_thread::sleep_for(std::chrono::milliseconds(3500));
    EXPECT_EQ(clients_made_by([&] { obs_properties_destroy(obs_source_properties(source)); }), 1);
    obs_source_release(filter);
    obs_source_release(source);
}

// The frame of a restyle as the mock received it, for an upload quality setting.
class ObsUploadQuality : public ObsModuleTest {
protected:
    nlohmann::json restyle_upload(long long upload_quality) {
        mock_->reset();
        obs_source_t *colour = create_color_source(1024, 1024, 0xff336699);
        obs_data_t *settings = obs_data_create();
        obs_data_set_string(settings, "prompt", "the same scene as a watercolour");
        obs_data_set_string(settings, "profile", "openai");
        obs_data_set_string(settings, "base_url", mock_->base_url("openai").c_str());
        obs_data_set_string(settings, "quality", "low");
        obs_data_set_int(settings, "upload_quality", upload_quality);
        obs_source_t *filter = obs_source_create("pictor_restyle_filter", "Pictor upload", settings, nullptr);
        obs_data_release(settings);
        obs_source_filter_add(colour, filter);
        obs_set_output_source(0, colour);
        wait_until([&] { return render_source(colour).width == 1024; }, generous_s);
        const size_t shown = obs_->log_lines().size();
        click_button(filter, "restyle");
        EXPECT_TRUE(wait_until([&] {
            const auto lines = obs_->log_lines();
            for (size_t i = shown; i < lines.size(); ++i)
                if (contains(lines[i], "showing a 1024x1024 result"))
                    return true;
            return false;
        }, generous_s)) << property_description(filter, "status");
        obs_set_output_source(0, nullptr);
        obs_source_filter_remove(colour, filter);
        obs_source_release(filter);
        obs_source_release(colour);
        const auto requests = mock_->api_requests();
        return requests.size() == 1 && requests[0]["files"].size() == 1 ? requests[0]["files"][0] : nlohmann::json();
    }
};

TEST_F(ObsUploadQuality, FastSendsTheFrameAsJpegLosslessAsPngAndTheSettingIsKeptInPictorSettings) {
    nlohmann::json frame = restyle_upload(PICTOR_UPLOAD_FAST);
    EXPECT_EQ(frame["format"], "jpeg") << frame;
    EXPECT_EQ(frame["width"], 1024);
    frame = restyle_upload(PICTOR_UPLOAD_LOSSLESS);
    EXPECT_EQ(frame["format"], "png") << frame;

    // The filter's default follows Pictor Settings, which keeps the choice where pictor reads it.
    frame = restyle_upload(PICTOR_UPLOAD_DEFAULT);
    EXPECT_EQ(frame["format"], "png") << "lossless until the user chooses otherwise: " << frame;
    obs_source_t *window = obs_source_create_private("pictor_settings", "Pictor Settings", nullptr);
    obs_data_t *settings = obs_source_get_settings(window);
    obs_data_set_int(settings, "upload_quality", PICTOR_UPLOAD_FAST);
    obs_source_update(window, settings);
    obs_data_release(settings);
    click_button(window, "save_upload_quality");
    EXPECT_TRUE(contains(property_description(window, "result"), "Fast")) << property_description(window, "result");
    std::ifstream config(env_->dir() + "/config/pictor/config.json");
    ASSERT_TRUE(config.good());
    EXPECT_EQ(nlohmann::json::parse(config, nullptr, false).value("upload_quality", ""), "fast");
    frame = restyle_upload(PICTOR_UPLOAD_DEFAULT);
    EXPECT_EQ(frame["format"], "jpeg") << frame;
    obs_source_release(window);
}

// An image whose request went on after its host stopped waiting (pictor's helper process),
// written to history before OBS starts: "not yet delivered".
class ObsArrivedWhileAway : public ObsModuleTest {
protected:
    void before_obs_starts() override {
        pictor_client_config config;
        ASSERT_EQ(pictor_client_config_init(&config), PICTOR_OK);
        const std::string url = mock_->base_url("openai", "delay=2");
        config.profile = "openai";
        config.base_url = url.c_str();
        config.run_in_helper = 1;
        pictor_client *client = nullptr;
        ASSERT_EQ(pictor_client_create(&config, &client), PICTOR_OK) << pictor_thread_last_error()->message;
        pictor_request request;
        pictor_request_init(&request);
        request.prompt = "a harbour at night";
        request.size = "1024x1024";
        request.quality = "low";
        std::thread cancel([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(700));
            pictor_client_cancel(client); // the host stops waiting; the helper goes on
        });
        pictor_result *result = nullptr;
        EXPECT_EQ(pictor_generate(client, &request, &result), PICTOR_ERR_CANCELLED);
        cancel.join();
        pictor_result_free(result);
        pictor_client_destroy(client);
        ASSERT_TRUE(wait_until([&] {
            const nlohmann::json list = history_list();
            return list.size() == 1 && list[0].value("delivered", true) == false;
        }, generous_s)) << history_list().dump();
    }
};

TEST_F(ObsArrivedWhileAway, AreAnnouncedAtLoadMarkedInTheListAndDeliveredWhenShown) {
    EXPECT_TRUE(obs_->log_contains("1 paid image arrived while you were away")) << obs_->log_text();
    obs_source_t *window = obs_source_create_private("pictor_settings", "Pictor Settings", nullptr);
    EXPECT_TRUE(contains(property_description(window, "history_arrived"), "1 paid image arrived"));

    obs_data_t *settings = obs_data_create();
    obs_data_set_string(settings, "size", "1024x1024");
    obs_source_t *source = obs_source_create("pictor_image_source", "Pictor arrived", settings, nullptr);
    obs_data_release(settings);
    obs_set_output_source(0, source);
    EXPECT_TRUE(contains(property_description(source, "history_arrived"), "1 paid image arrived"));
    std::string label, id;
    {
        obs_properties_t *props = obs_source_properties(source);
        obs_property_t *list = obs_properties_get(props, "history_entry");
        ASSERT_NE(list, nullptr);
        label = obs_property_list_item_name(list, 0);
        id = obs_property_list_item_string(list, 0);
        obs_properties_destroy(props);
    }
    EXPECT_TRUE(contains(label, "[new]")) << label;
    EXPECT_TRUE(contains(label, "a harbour at night")) << label;
    settings = obs_source_get_settings(source);
    obs_data_set_string(settings, "history_entry", id.c_str());
    obs_source_update(source, settings);
    obs_data_release(settings);
    click_button(source, "show_history");
    const std::string image = history_list().at(0).value("image_path", "");
    const Pixels expected = decode_file(image);
    EXPECT_TRUE(wait_until([&] { return max_channel_difference(render_source(source), expected) <= 2; }, generous_s))
        << property_description(source, "status");
    EXPECT_TRUE(wait_until([&] { return history_list().at(0).value("delivered", false); }, 10.0))
        << "shown, so delivered: " << history_list().dump();
    EXPECT_EQ(property_description(source, "history_arrived"), "") << "nothing left to announce";
    EXPECT_EQ(mock_->api_requests().size(), 1u) << "showing it sends nothing";
    obs_source_release(source);
    obs_source_release(window);
}

// Test the connection in Pictor Settings, against the mock: what it says, and what it sent.
class ObsConnectionCheck : public ObsModuleTest {
protected:
    std::string check(obs_source_t *window) {
        click_button(window, "check");
        std::string result;
        EXPECT_TRUE(wait_until([&] {
            result = property_description(window, "result");
            return !result.empty() && !contains(result, "Testing");
        }, generous_s)) << result;
        expect_no_key(result, "the connection check's result");
        return result;
    }
};

TEST_F(ObsConnectionCheck, SaysReachableRefusedUnreachableOrNoModelListAndNeverSendsAnImageRequest) {
    setenv("PICTOR_PROFILE", "openai", 1);
    setenv("PICTOR_BASE_URL", mock_->base_url("openai").c_str(), 1);
    obs_source_t *window = obs_source_create_private("pictor_settings", "Pictor Settings", nullptr);
    std::string result = check(window);
    EXPECT_TRUE(contains(result, "accepted the key")) << result;
    EXPECT_TRUE(contains(result, "nothing was billed")) << result;
    auto log = mock_->requests();
    ASSERT_EQ(log.size(), 1u) << log;
    EXPECT_EQ(log[0]["method"], "GET");
    EXPECT_EQ(log[0]["endpoint"], "models");
    EXPECT_EQ(log[0]["authorization"], "Bearer " + env_->api_key());

    setenv("PICTOR_API_KEY", "sk-bad-obs-check", 1);
    result = check(window);
    EXPECT_TRUE(contains(result, "refused the key")) << result;
    EXPECT_TRUE(contains(result, "401")) << result;
    setenv("PICTOR_API_KEY", env_->api_key().c_str(), 1);

    setenv("PICTOR_BASE_URL", mock_->base_url("openai", "status=404").c_str(), 1);
    result = check(window);
    EXPECT_TRUE(contains(result, "no model list")) << result;
    EXPECT_TRUE(contains(result, "key could not be checked")) << result;

    setenv("PICTOR_BASE_URL", "http://127.0.0.1:1/v1", 1); // nothing listens there
    result = check(window);
    EXPECT_TRUE(contains(result, "could not be reached")) << result;
    EXPECT_TRUE(contains(result, "127.0.0.1:1")) << result;

    EXPECT_EQ(mock_->requests().size(), 3u) << "one model list per check that reached the mock";
    EXPECT_TRUE(mock_->api_requests().empty()) << "never an image request";
    obs_source_release(window);
}

} // namespace
} // namespace pictor_obs_test
