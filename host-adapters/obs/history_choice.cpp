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

// pictor_history_list, oldest first; an empty array when it cannot be read (logged).
nlohmann::json history_entries() {
    char *json = nullptr;
    if (pictor_history_list(nullptr, &json) != PICTOR_OK) {
        blog(LOG_WARNING, "[pictor] could not read the history: %s", pictor_thread_last_error()->message);
        return nlohmann::json::array();
    }
    nlohmann::json entries = nlohmann::json::parse(json, nullptr, false);
    pictor_free(json);
    return entries.is_array() ? entries : nlohmann::json::array();
}

// An image that finished after its host had gone (run in pictor's helper process), not yet shown.
bool undelivered(const nlohmann::json &entry) {
    auto it = entry.find("delivered");
    return it != entry.end() && it->is_boolean() && !it->get<bool>() && !member(entry, "image_path").empty();
}

size_t count_undelivered(const nlohmann::json &entries) {
    size_t count = 0;
    for (const auto &entry : entries)
        count += undelivered(entry) ? 1 : 0;
    return count;
}

} // namespace

std::string undelivered_text() {
    const size_t count = count_undelivered(history_entries());
    if (count == 0)
        return "";
    return std::to_string(count) + " " + obs_module_text(count == 1 ? "History.ArrivedOne" : "History.ArrivedMany");
}

void announce_undelivered_images() {
    const std::string text = undelivered_text();
    if (!text.empty())
        blog(LOG_INFO, "[pictor] %s", text.c_str());
}

void mark_shown_if_undelivered(const std::string &id) {
    char *json = nullptr;
    if (pictor_history_entry(nullptr, id.c_str(), &json) != PICTOR_OK)
        return;
    const nlohmann::json entry = nlohmann::json::parse(json, nullptr, false);
    pictor_free(json);
    if (!entry.is_object() || !undelivered(entry))
        return;
    if (pictor_history_mark_delivered(nullptr, member(entry, "id").c_str()) == PICTOR_OK)
        blog(LOG_INFO, "[pictor] the image %s that arrived while OBS was away is now shown", member(entry, "id").c_str());
    else
        blog(LOG_WARNING, "[pictor] could not mark %s as shown: %s", id.c_str(), pictor_thread_last_error()->message);
}

void add_history_properties(obs_properties_t *props, obs_property_clicked_t on_show) {
    const nlohmann::json entries = history_entries();
    if (count_undelivered(entries) > 0) {
        obs_property_t *arrived = obs_properties_add_text(props, property::history_arrived,
                                                          undelivered_text().c_str(), OBS_TEXT_INFO);
        obs_property_text_set_info_type(arrived, OBS_TEXT_INFO_WARNING);
    }
    obs_property_t *list = obs_properties_add_list(props, property::history_entry, obs_module_text("History"),
                                                   OBS_COMBO_TYPE_LIST, OBS_COMBO_FORMAT_STRING);
    obs_property_set_long_description(list, obs_module_text("History.Description"));
    size_t added = 0;
    for (auto it = entries.rbegin(); it != entries.rend() && added < shown_entries; ++it) {
        const std::string id = member(*it, "id");
        if (id.empty() || member(*it, "image_path").empty())
            continue;
        const std::string label = (undelivered(*it) ? std::string(obs_module_text("History.ArrivedMark")) + " " : "") +
                                  entry_label(*it);
        obs_property_list_add_string(list, label.c_str(), id.c_str());
        ++added;
    }
    if (added == 0)
        obs_property_list_add_string(list, obs_module_text("History.Empty"), "");
    obs_properties_add_button(props, property::show_history, obs_module_text("History.Show"), on_show);
}

} // namespace pictor_obs
