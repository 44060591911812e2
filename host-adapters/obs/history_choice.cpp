#include "history_choice.hpp"

#include <pictor/pictor.h>

#include <obs-module.h>

#include <nlohmann/json.hpp>

#include <string>

namespace pictor_obs {

namespace {

constexpr size_t shown_entries = 50; // a list, not a browser: the most recent ones
constexpr size_t prompt_chars = 60;

std::string member(const nlohmann::json &entry, const char *name) {
    auto it = entry.find(name);
    return it != entry.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// "2026-12-04 21:07 · a lighthouse at dusk… (1024x1024)"
std::string entry_label(const nlohmann::json &entry) {
    std::string time = member(entry, "time");
    if (time.size() >= 16)
        time = time.substr(0, 10) + " " + time.substr(11, 5);
    std::string prompt = member(entry, "prompt");
    if (prompt.empty())
        prompt = obs_module_text("History.NoPrompt");
    if (prompt.size() > prompt_chars) {
        size_t cut = prompt_chars;
        while (cut > 0 && (static_cast<unsigned char>(prompt[cut]) & 0xC0) == 0x80)
            --cut; // not inside a UTF-8 character
        prompt = prompt.substr(0, cut) + "…";
    }
    const std::string size = member(entry, "size");
    return time + " · " + prompt + (size.empty() ? "" : " (" + size + ")");
}

} // namespace

void add_history_properties(obs_properties_t *props, obs_property_clicked_t on_show) {
    obs_property_t *list = obs_properties_add_list(props, property::history_entry, obs_module_text("History"),
                                                   OBS_COMBO_TYPE_LIST, OBS_COMBO_FORMAT_STRING);
    obs_property_set_long_description(list, obs_module_text("History.Description"));
    char *json = nullptr;
    nlohmann::json entries;
    if (pictor_history_list(nullptr, &json) == PICTOR_OK) {
        entries = nlohmann::json::parse(json, nullptr, false);
        pictor_free(json);
    } else {
        blog(LOG_WARNING, "[pictor] could not read the history: %s", pictor_thread_last_error()->message);
    }
    size_t added = 0;
    if (entries.is_array())
        for (auto it = entries.rbegin(); it != entries.rend() && added < shown_entries; ++it) {
            const std::string id = member(*it, "id");
            if (id.empty() || member(*it, "image_path").empty())
                continue;
            obs_property_list_add_string(list, entry_label(*it).c_str(), id.c_str());
            ++added;
        }
    if (added == 0)
        obs_property_list_add_string(list, obs_module_text("History.Empty"), "");
    obs_properties_add_button(props, property::show_history, obs_module_text("History.Show"), on_show);
}

} // namespace pictor_obs
