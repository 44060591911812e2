#include "request_settings.hpp"

#include <pictor/pictor.h>

#include <obs-module.h>

#include <nlohmann/json.hpp>

#include <string>

namespace pictor_obs {

namespace {

// The profiles installed with pictor and the user's own (~/.config/pictor/profiles): local
// files only, so building the properties never touches the network.
void add_profile_choices(obs_property_t *list) {
    obs_property_list_add_string(list, obs_module_text("Profile.FromConfiguration"), "");
    char *json = nullptr;
    if (pictor_list_profiles(nullptr, &json) != PICTOR_OK) {
        blog(LOG_WARNING, "[pictor] could not list the gateway profiles: %s",
             pictor_thread_last_error()->message);
        return;
    }
    nlohmann::json profiles = nlohmann::json::parse(json, nullptr, false);
    pictor_free(json);
    if (!profiles.is_array())
        return;
    for (const auto &profile : profiles) {
        auto name = profile.find("name");
        if (name != profile.end() && name->is_string())
            obs_property_list_add_string(list, name->get_ref<const std::string &>().c_str(),
                                         name->get_ref<const std::string &>().c_str());
    }
}

void add_size_choices(obs_property_t *list) {
    obs_property_list_add_string(list, obs_module_text("RouteDefault"), "");
    for (const char *size : {"auto", "1024x1024", "1536x1024", "1024x1536", "2048x2048", "2048x1152",
                             "3840x2160", "2160x3840", "1280x720", "1280x1280"})
        obs_property_list_add_string(list, size, size);
}

void add_quality_choices(obs_property_t *list) {
    obs_property_list_add_string(list, obs_module_text("RouteDefault"), "");
    obs_property_list_add_string(list, obs_module_text("Quality.Low"), "low");
    obs_property_list_add_string(list, obs_module_text("Quality.Medium"), "medium");
    obs_property_list_add_string(list, obs_module_text("Quality.High"), "high");
    obs_property_list_add_string(list, obs_module_text("Quality.Auto"), "auto");
}

} // namespace

void set_request_defaults(obs_data_t *settings) {
    obs_data_set_default_string(settings, setting::prompt, "");
    obs_data_set_default_string(settings, setting::profile, "");
    obs_data_set_default_string(settings, setting::base_url, "");
    obs_data_set_default_string(settings, setting::size, "");
    // The route's default: routes such as apiyi-vip refuse any quality field, so a fixed default
    // would make every request fail there. The list shows the price of each choice.
    obs_data_set_default_string(settings, setting::quality, "");
    // Two blurry previews while a streaming route works (about 100 extra output tokens each):
    // the streamer sees something coming during a wait of a minute or more.
    obs_data_set_default_int(settings, setting::previews, 2);
}

void add_request_properties(obs_properties_t *props, bool with_size) {
    obs_properties_add_text(props, setting::prompt, obs_module_text("Prompt"), OBS_TEXT_MULTILINE);
    add_profile_choices(obs_properties_add_list(props, setting::profile, obs_module_text("Profile"),
                                                OBS_COMBO_TYPE_EDITABLE, OBS_COMBO_FORMAT_STRING));
    obs_property_t *base_url =
        obs_properties_add_text(props, setting::base_url, obs_module_text("BaseURL"), OBS_TEXT_DEFAULT);
    obs_property_set_long_description(base_url, obs_module_text("BaseURL.Description"));
    if (with_size)
        add_size_choices(obs_properties_add_list(props, setting::size, obs_module_text("Size"),
                                                 OBS_COMBO_TYPE_EDITABLE, OBS_COMBO_FORMAT_STRING));
    add_quality_choices(obs_properties_add_list(props, setting::quality, obs_module_text("Quality"),
                                                OBS_COMBO_TYPE_LIST, OBS_COMBO_FORMAT_STRING));
    obs_property_t *previews =
        obs_properties_add_int_slider(props, setting::previews, obs_module_text("Previews"), 0, 3, 1);
    obs_property_set_long_description(previews, obs_module_text("Previews.Description"));
    obs_properties_add_text(props, "key_note", obs_module_text("KeyNote"), OBS_TEXT_INFO);
}

void read_request_settings(obs_data_t *settings, RequestSpec &spec) {
    spec.prompt = obs_data_get_string(settings, setting::prompt);
    spec.profile = obs_data_get_string(settings, setting::profile);
    spec.base_url = obs_data_get_string(settings, setting::base_url);
    spec.size = obs_data_get_string(settings, setting::size);
    spec.quality = obs_data_get_string(settings, setting::quality);
    spec.previews = int(obs_data_get_int(settings, setting::previews));
}

} // namespace pictor_obs
