#include "pictor_settings_entry.hpp"

#include "history_choice.hpp"
#include "pictor_client_factory.hpp"
#include "request_settings.hpp"
#include "request_status.hpp"

#include <pictor/pictor.h>

#include <obs-module.h>
#ifdef PICTOR_OBS_HAS_FRONTEND_API
#include <obs-frontend-api.h>
#endif

#include <nlohmann/json.hpp>

#include <dlfcn.h>

#include <mutex>
#include <string>
#include <thread>

namespace pictor_obs {

namespace {

constexpr const char *settings_id = "pictor_settings";
constexpr const char *api_key = "api_key";
constexpr const char *key_store = "key_store";
constexpr const char *save_key = "save_key";
constexpr const char *default_profile = "default_profile";
constexpr const char *save_profile = "save_profile";
constexpr const char *check = "check";
constexpr const char *result_info = "result";
constexpr const char *upload_quality = "upload_quality";
constexpr const char *save_upload_quality = "save_upload_quality";
constexpr const char *arrived_info = "history_arrived";

std::mutex result_mutex;
std::string last_result; // what the last button did, shown in the window

void set_result(const std::string &text) {
    std::lock_guard<std::mutex> lock(result_mutex);
    last_result = text;
}

std::string result() {
    std::lock_guard<std::mutex> lock(result_mutex);
    return last_result;
}

std::string json_string(const nlohmann::json &object, const char *name) {
    auto it = object.is_object() ? object.find(name) : object.end();
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Save key: pictor_store_api_key, like `pictor login`. The pasted key is then removed from
// the window's settings at once, so it stays in OBS's memory no longer than the click.
struct SettingsWindow;
obs_source_t *self_of(void *data);

bool on_save_key(obs_properties_t *, obs_property_t *, void *data) {
    obs_source_t *source = self_of(data);
    obs_data_t *settings = obs_source_get_settings(source);
    const std::string key = obs_data_get_string(settings, api_key);
    const auto where = pictor_key_store(obs_data_get_int(settings, key_store));
    obs_data_set_string(settings, api_key, "");
    obs_data_release(settings);
    if (key.empty()) {
        set_result(obs_module_text("Settings.PasteFirst"));
        return true;
    }
    char *where_json = nullptr;
    if (pictor_store_api_key(key.c_str(), where, &where_json) != PICTOR_OK) {
        set_result(std::string(obs_module_text("Settings.KeyNotSaved")) + " " + pictor_thread_last_error()->message);
        blog(LOG_WARNING, "[pictor] the API key was not saved: %s", pictor_thread_last_error()->message);
        return true;
    }
    forget_route_client(); // the key's source shown in the properties changes
    const nlohmann::json stored = nlohmann::json::parse(where_json ? where_json : "{}", nullptr, false);
    pictor_free(where_json);
    std::string text = std::string(obs_module_text("Settings.KeySaved")) + " " + json_string(stored, "where") + ".";
    const std::string problem = json_string(stored, "keyring_problem");
    if (!problem.empty())
        text += " " + std::string(obs_module_text("Settings.KeyringProblem")) + " " + problem;
    set_result(text);
    blog(LOG_INFO, "[pictor] API key saved in %s", json_string(stored, "where").c_str());
    return true;
}

bool on_save_profile(obs_properties_t *, obs_property_t *, void *data) {
    obs_data_t *settings = obs_source_get_settings(self_of(data));
    const std::string profile = obs_data_get_string(settings, default_profile);
    obs_data_release(settings);
    char *where = nullptr;
    if (pictor_store_default_profile(profile.c_str(), &where) != PICTOR_OK) {
        set_result(std::string(obs_module_text("Settings.ProfileNotSaved")) + " " +
                   pictor_thread_last_error()->message);
        return true;
    }
    forget_route_client(); // "the default profile" is another route now
    set_result(std::string(obs_module_text("Settings.ProfileSaved")) + " " +
               (profile.empty() ? "openai" : profile) + " (" + (where ? where : "") + ").");
    pictor_free(where);
    return true;
}

bool on_save_upload_quality(obs_properties_t *, obs_property_t *, void *data) {
    obs_data_t *settings = obs_source_get_settings(self_of(data));
    const int quality = int(obs_data_get_int(settings, upload_quality));
    obs_data_release(settings);
    char *where = nullptr;
    if (pictor_store_upload_quality(quality, &where) != PICTOR_OK) {
        set_result(std::string(obs_module_text("Settings.UploadNotSaved")) + " " + pictor_thread_last_error()->message);
        return true;
    }
    set_result(std::string(obs_module_text("Settings.UploadSaved")) + " " +
               obs_module_text(quality == PICTOR_UPLOAD_FAST ? "Upload.Fast" : "Upload.Lossless") + " (" +
               (where ? where : "") + ").");
    pictor_free(where);
    return true;
}

// What pictor_client_check_connection found, in the window's words.
std::string connection_text(pictor_client *client) {
    char *json = nullptr;
    if (pictor_client_check_connection(client, &json) != PICTOR_OK)
        return std::string(obs_module_text("Settings.CheckFailed")) + " " + pictor_client_last_error(client)->message;
    const nlohmann::json report = nlohmann::json::parse(json ? json : "{}", nullptr, false);
    pictor_free(json);
    const nlohmann::json profile = nlohmann::json::parse(pictor_client_profile_json(client), nullptr, false);
    const std::string result = json_string(report, "result");
    const std::string url = json_string(report, "url");
    const int status = report.is_object() && report.value("status", nlohmann::json()).is_number_integer()
                           ? report["status"].get<int>()
                           : 0;
    std::string text = std::string(obs_module_text("Settings.Profile")) + " " + json_string(profile, "name") + ". ";
    if (result == "ok")
        text += std::string(obs_module_text("Check.Ok")) + " " + url + ". " + obs_module_text("Key.From") + " " +
                json_string(profile, "api_key_source") + ".";
    else if (result == "key_refused")
        text += std::string(obs_module_text("Check.KeyRefused")) + " (" + url + ", HTTP " + std::to_string(status) +
                "). " + obs_module_text("Check.KeyRefusedWhat");
    else if (result == "unreachable")
        text += std::string(obs_module_text("Check.Unreachable")) + " " + url + ": " + json_string(report, "error") +
                ". " + obs_module_text("Check.UnreachableWhat");
    else if (result == "no_model_list")
        text += std::string(obs_module_text("Check.NoModelList")) + " (" + url + ", HTTP " + std::to_string(status) +
                ").";
    else if (result == "no_key")
        text += obs_module_text("Key.None");
    else
        text += std::string(obs_module_text("Check.Unexpected")) + " " + std::to_string(status) + " (" + url + ").";
    return text + " " + obs_module_text("Check.Free");
}

// One check at a time, on its own thread: it waits on the network (up to the connect timeout
// plus 30 s), and OBS's UI must not.
std::mutex check_mutex;
std::thread check_thread;
pictor_client *checking_client = nullptr; // while a check runs: for pictor_client_cancel at unload
bool check_running = false;

bool on_check(obs_properties_t *, obs_property_t *, void *data) {
    std::lock_guard<std::mutex> lock(check_mutex);
    if (check_running)
        return false;
    std::string error;
    pictor_client *client = create_pictor_client(RequestSpec{}, error);
    if (!client) {
        set_result(std::string(obs_module_text("Settings.CheckFailed")) + " " + error);
        return true;
    }
    if (check_thread.joinable())
        check_thread.join(); // the previous check, already finished
    check_running = true;
    checking_client = client;
    set_result(obs_module_text("Check.Running"));
    obs_weak_source_t *window = obs_source_get_weak_source(self_of(data));
    check_thread = std::thread([client, window] {
        const std::string text = connection_text(client);
        {
            std::lock_guard<std::mutex> done(check_mutex);
            checking_client = nullptr;
            check_running = false;
        }
        pictor_client_destroy(client);
        set_result(text);
        blog(LOG_INFO, "[pictor] connection check: %s", text.c_str());
        queue_properties_refresh(window);
        obs_weak_source_release(window);
    });
    return true;
}

obs_properties_t *settings_properties(void *) {
    obs_properties_t *props = obs_properties_create();
    obs_properties_add_text(props, result_info, result().c_str(), OBS_TEXT_INFO);
    obs_properties_add_text(props, api_key, obs_module_text("Settings.ApiKey"), OBS_TEXT_PASSWORD);
    obs_property_t *store = obs_properties_add_list(props, key_store, obs_module_text("Settings.KeyStore"),
                                                    OBS_COMBO_TYPE_LIST, OBS_COMBO_FORMAT_INT);
    obs_property_list_add_int(store, obs_module_text("Settings.KeyStore.Auto"), PICTOR_KEY_STORE_AUTO);
    obs_property_list_add_int(store, obs_module_text("Settings.KeyStore.Keyring"), PICTOR_KEY_STORE_KEYRING);
    obs_property_list_add_int(store, obs_module_text("Settings.KeyStore.File"), PICTOR_KEY_STORE_CONFIG_FILE);
    obs_properties_add_button(props, save_key, obs_module_text("Settings.SaveKey"), on_save_key);
    obs_property_t *profiles = obs_properties_add_list(props, default_profile, obs_module_text("Settings.DefaultProfile"),
                                                       OBS_COMBO_TYPE_LIST, OBS_COMBO_FORMAT_STRING);
    add_profile_choices(profiles, obs_module_text("Settings.ProfileOpenai"));
    obs_properties_add_button(props, save_profile, obs_module_text("Settings.SaveProfile"), on_save_profile);
    obs_property_t *uploads = obs_properties_add_list(props, upload_quality, obs_module_text("Upload"),
                                                      OBS_COMBO_TYPE_LIST, OBS_COMBO_FORMAT_INT);
    obs_property_list_add_int(uploads, obs_module_text("Upload.Lossless"), PICTOR_UPLOAD_LOSSLESS);
    obs_property_list_add_int(uploads, obs_module_text("Upload.Fast"), PICTOR_UPLOAD_FAST);
    obs_property_set_long_description(uploads, obs_module_text("Upload.Description"));
    obs_properties_add_button(props, save_upload_quality, obs_module_text("Settings.SaveUpload"),
                              on_save_upload_quality);
    obs_property_t *check_button = obs_properties_add_button(props, check, obs_module_text("Settings.Check"), on_check);
    obs_property_set_long_description(check_button, obs_module_text("Settings.Check.Description"));
    const std::string arrived = undelivered_text();
    if (!arrived.empty()) {
        obs_property_t *line = obs_properties_add_text(props, arrived_info, arrived.c_str(), OBS_TEXT_INFO);
        obs_property_text_set_info_type(line, OBS_TEXT_INFO_WARNING);
    }
    return props;
}

// The settings source's private data: the source itself, for the buttons.
struct SettingsWindow {
    obs_source_t *self;
};

obs_source_t *settings_source = nullptr; // made at the first click on the menu entry

#ifdef PICTOR_OBS_HAS_FRONTEND_API
using add_tools_menu_item_fn = decltype(&obs_frontend_add_tools_menu_item);
using open_source_properties_fn = decltype(&obs_frontend_open_source_properties);
open_source_properties_fn open_source_properties = nullptr;

// The app exits: the settings source goes before OBS frees its sources.
void on_frontend_event(enum obs_frontend_event event, void *) {
    if (event == OBS_FRONTEND_EVENT_EXIT) {
        obs_source_release(settings_source);
        settings_source = nullptr;
    }
}

void on_menu_entry(void *) {
    if (!settings_source)
        settings_source = obs_source_create_private(settings_id, obs_module_text("PictorSettings"), nullptr);
    if (settings_source && open_source_properties)
        open_source_properties(settings_source);
}
#endif

obs_source_t *self_of(void *data) { return static_cast<SettingsWindow *>(data)->self; }

} // namespace

void stop_settings_entry() {
    {
        std::lock_guard<std::mutex> lock(check_mutex);
        if (checking_client)
            pictor_client_cancel(checking_client); // the check returns within about 100 ms
    }
    if (check_thread.joinable())
        check_thread.join();
}

void register_settings_entry() {
    obs_source_info info = {};
    info.id = settings_id;
    info.type = OBS_SOURCE_TYPE_INPUT;
    info.output_flags = OBS_SOURCE_CAP_DISABLED; // not offered in Add Source; a window only
    info.get_name = [](void *) { return obs_module_text("PictorSettings"); };
    info.create = [](obs_data_t *, obs_source_t *self) -> void * { return new SettingsWindow{self}; };
    info.destroy = [](void *data) { delete static_cast<SettingsWindow *>(data); };
    info.get_defaults = [](obs_data_t *settings) {
        obs_data_set_default_int(settings, key_store, PICTOR_KEY_STORE_AUTO);
        obs_data_set_default_string(settings, default_profile, "");
        obs_data_set_default_int(settings, upload_quality, pictor_upload_quality_setting(nullptr));
    };
    info.get_properties = settings_properties;
    obs_register_source(&info);
#ifdef PICTOR_OBS_HAS_FRONTEND_API
    // Inside OBS Studio the frontend API is already loaded (the app links it); elsewhere the
    // lookup finds nothing and there is no menu entry.
    auto add_item = reinterpret_cast<add_tools_menu_item_fn>(dlsym(RTLD_DEFAULT, "obs_frontend_add_tools_menu_item"));
    open_source_properties =
        reinterpret_cast<open_source_properties_fn>(dlsym(RTLD_DEFAULT, "obs_frontend_open_source_properties"));
    auto add_event_callback =
        reinterpret_cast<decltype(&obs_frontend_add_event_callback)>(dlsym(RTLD_DEFAULT, "obs_frontend_add_event_callback"));
    if (add_item && open_source_properties && add_event_callback) {
        add_item(obs_module_text("PictorSettings"), on_menu_entry, nullptr);
        add_event_callback(on_frontend_event, nullptr);
    }
#endif
}

} // namespace pictor_obs
