#include "request_settings.hpp"

#include "pictor_client_factory.hpp"
#include "request_status.hpp"
#include "session_spending.hpp"

#include <pictor/pictor.h>

#include <obs-module.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace pictor_obs {

namespace {

constexpr const char *key_source_info = "key_source";

} // namespace

void add_profile_choices(obs_property_t *list, const char *empty_label) {
    obs_property_list_add_string(list, empty_label, "");
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

namespace {

// The resolved profile of spec's route (pictor_client_profile_json); {} when it cannot be made.
// A model the profile no longer lists: the profile without it, so the choices still show.
nlohmann::json route_profile(const RequestSpec &spec) {
    RouteClient client(spec);
    if (!client.get() && !spec.model.empty()) {
        RequestSpec without_model = spec;
        without_model.model.clear();
        return route_profile(without_model);
    }
    if (!client.get())
        return nlohmann::json::object();
    nlohmann::json profile = nlohmann::json::parse(pictor_client_profile_json(client.get()), nullptr, false);
    return profile.is_object() ? profile : nlohmann::json::object();
}

std::string string_member(const nlohmann::json &object, const char *name) {
    auto it = object.find(name);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The route's own sizes (its profile's list), "fit the canvas" first; the current value stays
// offered even when the route has no list (custom sizes), so a saved size never shows blank.
void fill_size_choices(obs_property_t *list, const RequestSpec &spec, const nlohmann::json &profile) {
    obs_property_list_clear(list);
    const std::string rule = string_member(profile, "size_rule");
    RequestSpec canvas = spec;
    canvas.size = fit_canvas_size;
    const std::string fitted = resolved_size(canvas);
    const std::string fit_label = std::string(obs_module_text("Size.FitCanvas")) +
                                  (fitted.empty() ? "" : " (" + fitted + ")");
    obs_property_list_add_string(list, fit_label.c_str(), fit_canvas_size);
    obs_property_list_add_string(list, obs_module_text("RouteDefault"), "");
    std::vector<std::string> offered = {fit_canvas_size, ""};
    if (rule != "none") {
        obs_property_list_add_string(list, obs_module_text("Size.Auto"), "auto");
        offered.push_back("auto");
        auto sizes = profile.find("suggested_sizes"); // the route's sizes, or the API's presets
        if (sizes != profile.end() && sizes->is_array())
            for (const auto &size : *sizes)
                if (size.is_string()) {
                    obs_property_list_add_string(list, size.get_ref<const std::string &>().c_str(),
                                                 size.get_ref<const std::string &>().c_str());
                    offered.push_back(size.get<std::string>());
                }
    }
    if (std::find(offered.begin(), offered.end(), spec.size) == offered.end())
        obs_property_list_add_string(list, spec.size.c_str(), spec.size.c_str());
}

// A list of the profile JSON (qualities, complexities come sorted by name), in the order a person
// reads them: low to high first, then any other name (a newer model's) as the profile has it.
std::vector<std::string> string_list(const nlohmann::json &object, const char *name) {
    static const std::vector<std::string> reading_order = {"low", "medium", "high", "xhigh", "max", "auto"};
    std::vector<std::string> values;
    auto it = object.find(name);
    if (it != object.end() && it->is_array())
        for (const auto &value : *it)
            if (value.is_string())
                values.push_back(value.get<std::string>());
    auto rank = [&](const std::string &value) {
        return size_t(std::find(reading_order.begin(), reading_order.end(), value) - reading_order.begin());
    };
    std::stable_sort(values.begin(), values.end(),
                     [&](const std::string &a, const std::string &b) { return rank(a) < rank(b); });
    return values;
}

bool offered(const std::vector<std::string> &values, const std::string &value) {
    return value.empty() || std::find(values.begin(), values.end(), value) != values.end();
}

// The locale's word for a value pictor knows ("Quality.low"), else the profile's own name
// (a newer model's "xhigh").
std::string value_label(const char *prefix, const std::string &value) {
    const std::string key = std::string(prefix) + value;
    const char *text = nullptr;
    return obs_module_get_string(key.c_str(), &text) && text ? text : value;
}

// The profile's models ("" = its default, named); a saved model it no longer lists stays shown.
void fill_model_choices(obs_property_t *list, const RequestSpec &spec, const nlohmann::json &profile) {
    obs_property_list_clear(list);
    const std::string fallback = string_member(profile, "default_model");
    const std::string default_label = std::string(obs_module_text("Model.Default")) +
                                      (fallback.empty() ? "" : " (" + fallback + ")");
    obs_property_list_add_string(list, default_label.c_str(), "");
    std::vector<std::string> names;
    auto models = profile.find("models");
    if (models != profile.end() && models->is_array())
        for (const auto &entry : *models) {
            const std::string name = string_member(entry, "model");
            if (name.empty())
                continue;
            const std::string about = string_member(entry, "description");
            obs_property_list_add_string(list, (about.empty() ? name : name + " (" + about + ")").c_str(),
                                         name.c_str());
            names.push_back(name);
        }
    if (!offered(names, spec.model))
        obs_property_list_add_string(list, spec.model.c_str(), spec.model.c_str());
}

// The chosen model's qualities, each with the price of a click at the chosen size.
void fill_quality_choices(obs_property_t *list, const RequestSpec &spec, const nlohmann::json &profile,
                          bool edit) {
    obs_property_list_clear(list);
    obs_property_list_add_string(list, obs_module_text("RouteDefault"), "");
    RequestSpec priced = spec;
    priced.size = resolved_size(spec);
    for (const std::string &quality : string_list(profile, "qualities")) {
        priced.quality = quality;
        const std::string price = click_price(priced, edit);
        const std::string label = value_label("Quality.", quality) + (price.empty() ? "" : " (" + price + ")");
        obs_property_list_add_string(list, label.c_str(), quality.c_str());
    }
}

// Only where the chosen model lists complexities.
void fill_complexity_choices(obs_property_t *list, const nlohmann::json &profile) {
    obs_property_list_clear(list);
    obs_property_list_add_string(list, obs_module_text("Complexity.NotSent"), "");
    const std::vector<std::string> values = string_list(profile, "complexities");
    for (const std::string &value : values)
        obs_property_list_add_string(list, value_label("Complexity.", value).c_str(), value.c_str());
    obs_property_set_visible(list, !values.empty());
}

// A model changed under a quality or complexity it does not take: back to the route's default,
// so the next click is not refused.
void drop_values_not_offered(obs_data_t *settings, const nlohmann::json &profile) {
    if (!offered(string_list(profile, "qualities"), obs_data_get_string(settings, setting::quality)))
        obs_data_set_string(settings, setting::quality, "");
    if (!offered(string_list(profile, "complexities"), obs_data_get_string(settings, setting::complexity)))
        obs_data_set_string(settings, setting::complexity, "");
}

void fill_upload_choices(obs_property_t *list) {
    const bool fast_now = pictor_upload_quality_setting(nullptr) == PICTOR_UPLOAD_FAST;
    const std::string setting_label = std::string(obs_module_text("Upload.Setting")) + " (" +
                                      obs_module_text(fast_now ? "Upload.Fast" : "Upload.Lossless") + ")";
    obs_property_list_add_int(list, setting_label.c_str(), PICTOR_UPLOAD_DEFAULT);
    obs_property_list_add_int(list, obs_module_text("Upload.Lossless"), PICTOR_UPLOAD_LOSSLESS);
    obs_property_list_add_int(list, obs_module_text("Upload.Fast"), PICTOR_UPLOAD_FAST);
}

std::string key_source_text(const nlohmann::json &profile) {
    const std::string source = string_member(profile, "api_key_source");
    auto has = profile.find("has_api_key");
    if (source.empty() || has == profile.end() || !has->is_boolean() || !has->get<bool>())
        return obs_module_text("Key.None");
    return std::string(obs_module_text("Key.From")) + " " + source + ". " + obs_module_text("Key.Never");
}

RequestSpec spec_for_price(obs_data_t *settings) {
    RequestSpec spec;
    read_request_settings(settings, spec);
    spec.size = resolved_size(spec);
    return spec;
}

// A choice that changes the route or the price: the size list, the price and the key's source
// follow it in the open window (true: OBS redraws the properties).
bool on_request_choice_changed(void *edit, obs_properties_t *props, obs_property_t *, obs_data_t *settings) {
    RequestSpec spec;
    read_request_settings(settings, spec);
    const nlohmann::json profile = route_profile(spec);
    drop_values_not_offered(settings, profile);
    read_request_settings(settings, spec);
    if (obs_property_t *models = obs_properties_get(props, setting::model))
        fill_model_choices(models, spec, profile);
    if (obs_property_t *sizes = obs_properties_get(props, setting::size))
        fill_size_choices(sizes, spec, profile);
    if (obs_property_t *qualities = obs_properties_get(props, setting::quality))
        fill_quality_choices(qualities, spec, profile, edit != nullptr);
    if (obs_property_t *complexities = obs_properties_get(props, setting::complexity))
        fill_complexity_choices(complexities, profile);
    if (obs_property_t *key = obs_properties_get(props, key_source_info))
        obs_property_set_description(key, key_source_text(profile).c_str());
    if (obs_property_t *cost = obs_properties_get(props, property::cost))
        obs_property_set_description(cost, cost_text(spec_for_price(settings), edit != nullptr).c_str());
    return true;
}

} // namespace

void set_request_defaults(obs_data_t *settings, bool with_size) {
    obs_data_set_default_string(settings, setting::prompt, "");
    obs_data_set_default_string(settings, setting::profile, "");
    obs_data_set_default_string(settings, setting::base_url, "");
    // New sources fill the scene: the route's size nearest the canvas, scaled to fit it.
    obs_data_set_default_string(settings, setting::size, with_size ? fit_canvas_size : "");
    // The route's default: routes such as apiyi-vip refuse any quality field, so a fixed default
    // would make every request fail there. The list shows the price of each choice.
    obs_data_set_default_string(settings, setting::quality, "");
    obs_data_set_default_string(settings, setting::model, ""); // the profile's default model
    obs_data_set_default_string(settings, setting::complexity, "");
    obs_data_set_default_int(settings, setting::upload_quality, PICTOR_UPLOAD_DEFAULT);
    // Two blurry previews while a streaming route works (about 100 extra output tokens each):
    // the streamer sees something coming during a wait of a minute or more.
    obs_data_set_default_int(settings, setting::previews, 2);
    obs_data_set_default_bool(settings, setting::failure_indicator, true);
}

void add_request_properties(obs_properties_t *props, obs_data_t *settings, bool with_size, bool edit) {
    RequestSpec spec;
    read_request_settings(settings, spec);
    const nlohmann::json profile = route_profile(spec);
    void *edit_flag = edit ? props : nullptr; // any non-null pointer says "edit"

    obs_properties_add_text(props, setting::prompt, obs_module_text("Prompt"), OBS_TEXT_MULTILINE);
    obs_property_t *profiles = obs_properties_add_list(props, setting::profile, obs_module_text("Profile"),
                                                       OBS_COMBO_TYPE_LIST, OBS_COMBO_FORMAT_STRING);
    add_profile_choices(profiles, obs_module_text("Profile.FromConfiguration"));
    obs_property_set_modified_callback2(profiles, on_request_choice_changed, edit_flag);
    obs_property_t *base_url =
        obs_properties_add_text(props, setting::base_url, obs_module_text("BaseURL"), OBS_TEXT_DEFAULT);
    obs_property_set_long_description(base_url, obs_module_text("BaseURL.Description"));
    obs_property_t *models = obs_properties_add_list(props, setting::model, obs_module_text("Model"),
                                                     OBS_COMBO_TYPE_LIST, OBS_COMBO_FORMAT_STRING);
    fill_model_choices(models, spec, profile);
    obs_property_set_long_description(models, obs_module_text("Model.Description"));
    obs_property_set_modified_callback2(models, on_request_choice_changed, edit_flag);
    if (with_size) {
        obs_property_t *sizes = obs_properties_add_list(props, setting::size, obs_module_text("Size"),
                                                        OBS_COMBO_TYPE_LIST, OBS_COMBO_FORMAT_STRING);
        fill_size_choices(sizes, spec, profile);
        obs_property_set_long_description(sizes, obs_module_text("Size.Description"));
        obs_property_set_modified_callback2(sizes, on_request_choice_changed, edit_flag);
    }
    obs_property_t *quality = obs_properties_add_list(props, setting::quality, obs_module_text("Quality"),
                                                      OBS_COMBO_TYPE_LIST, OBS_COMBO_FORMAT_STRING);
    fill_quality_choices(quality, spec, profile, edit);
    obs_property_set_modified_callback2(quality, on_request_choice_changed, edit_flag);
    obs_property_t *complexity = obs_properties_add_list(props, setting::complexity, obs_module_text("Complexity"),
                                                         OBS_COMBO_TYPE_LIST, OBS_COMBO_FORMAT_STRING);
    fill_complexity_choices(complexity, profile);
    obs_property_set_modified_callback2(complexity, on_request_choice_changed, edit_flag);
    if (edit) {
        obs_property_t *upload = obs_properties_add_list(props, setting::upload_quality, obs_module_text("Upload"),
                                                         OBS_COMBO_TYPE_LIST, OBS_COMBO_FORMAT_INT);
        fill_upload_choices(upload);
        obs_property_set_long_description(upload, obs_module_text("Upload.Description"));
    }
    pictor_limits limits;
    const int max_previews = pictor_get_limits(&limits) == PICTOR_OK ? limits.max_partial_images : 0;
    obs_property_t *previews =
        obs_properties_add_int_slider(props, setting::previews, obs_module_text("Previews"), 0, max_previews, 1);
    obs_property_set_long_description(previews, obs_module_text("Previews.Description"));
    obs_property_set_modified_callback2(previews, on_request_choice_changed, edit_flag);
    obs_properties_add_bool(props, setting::failure_indicator, obs_module_text("FailureIndicator"));
    obs_properties_add_text(props, key_source_info, key_source_text(profile).c_str(), OBS_TEXT_INFO);
}

void read_request_settings(obs_data_t *settings, RequestSpec &spec) {
    spec.prompt = obs_data_get_string(settings, setting::prompt);
    spec.profile = obs_data_get_string(settings, setting::profile);
    spec.base_url = obs_data_get_string(settings, setting::base_url);
    spec.size = obs_data_get_string(settings, setting::size);
    spec.quality = obs_data_get_string(settings, setting::quality);
    spec.model = obs_data_get_string(settings, setting::model);
    spec.complexity = obs_data_get_string(settings, setting::complexity);
    spec.upload_quality = int(obs_data_get_int(settings, setting::upload_quality));
    spec.previews = int(obs_data_get_int(settings, setting::previews));
}

void canvas_size(uint32_t &width, uint32_t &height) {
    obs_video_info video = {};
    width = height = 0;
    if (obs_get_video_info(&video)) {
        width = video.base_width;
        height = video.base_height;
    }
}

std::string resolved_size(const RequestSpec &spec) {
    if (spec.size != fit_canvas_size)
        return spec.size;
    uint32_t canvas_w = 0, canvas_h = 0, w = 0, h = 0;
    canvas_size(canvas_w, canvas_h);
    if (!canvas_w || !canvas_h)
        return ""; // no canvas: the route's default
    RouteClient client(spec);
    if (!client.get())
        return ""; // no route: the route's default
    const bool ok = pictor_canvas_request_size(client.get(), canvas_w, canvas_h, &w, &h) == PICTOR_OK;
    return ok && w && h ? std::to_string(w) + "x" + std::to_string(h) : "";
}

} // namespace pictor_obs
