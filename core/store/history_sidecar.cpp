#include "store/history_sidecar.hpp"

#include "error.hpp"
#include "store/durable_file.hpp"

namespace pictor {
namespace {

// The text keys, one name each for reading and writing.
using TextField = std::string HistorySidecar::*;
const std::pair<const char *, TextField> text_fields[] = {
    {"prompt", &HistorySidecar::prompt},     {"profile", &HistorySidecar::profile},
    {"model", &HistorySidecar::model},       {"base_url", &HistorySidecar::base_url},
    {"endpoint", &HistorySidecar::endpoint}, {"format", &HistorySidecar::format},
    {"request_id", &HistorySidecar::request_id}, {"size", &HistorySidecar::size},
    {"id", &HistorySidecar::id},             {"image_file", &HistorySidecar::image_file},
    {"time", &HistorySidecar::time}};
// The other keys this record owns; everything else in a sidecar goes to `other`.
const char *const other_owned_keys[] = {"parameters", "usage", "index", "cost_usd_estimate", "input_images", "mask",
                                        "delivered"};

} // namespace

void to_json(nlohmann::json &json, const HistorySidecar &s) {
    json = s.other.is_object() ? s.other : nlohmann::json::object();
    for (const auto &[key, field] : text_fields)
        json[key] = s.*field;
    json["parameters"] = s.parameters;
    json["usage"] = s.usage;
    json["index"] = s.index;
    json["cost_usd_estimate"] = s.cost_usd_estimate ? nlohmann::json(*s.cost_usd_estimate) : nlohmann::json(nullptr);
    if (s.input_images)
        json["input_images"] = *s.input_images;
    if (s.mask)
        json["mask"] = *s.mask;
    if (!s.delivered) // an entry without the key is a delivered one (as every earlier version wrote it)
        json["delivered"] = false;
}

void from_json(const nlohmann::json &json, HistorySidecar &s) {
    s = HistorySidecar{};
    if (!json.is_object())
        return;
    for (const auto &[key, field] : text_fields)
        if (auto it = json.find(key); it != json.end() && it->is_string())
            s.*field = it->get<std::string>();
    if (auto it = json.find("parameters"); it != json.end() && it->is_object())
        s.parameters = *it;
    if (auto it = json.find("usage"); it != json.end())
        s.usage = *it;
    if (auto it = json.find("index"); it != json.end() && it->is_number_integer())
        s.index = it->get<int>();
    if (auto it = json.find("cost_usd_estimate"); it != json.end() && it->is_number())
        s.cost_usd_estimate = it->get<double>();
    if (auto it = json.find("input_images"); it != json.end() && it->is_array()) {
        s.input_images.emplace();
        for (const auto &name : *it)
            if (name.is_string())
                s.input_images->push_back(name.get<std::string>());
    }
    if (auto it = json.find("mask"); it != json.end() && it->is_boolean())
        s.mask = it->get<bool>();
    if (auto it = json.find("delivered"); it != json.end() && it->is_boolean())
        s.delivered = it->get<bool>();
    s.other = json;
    for (const auto &[key, field] : text_fields)
        s.other.erase(key);
    for (const char *key : other_owned_keys)
        s.other.erase(key);
}

void write_history_sidecar(const std::string &path, const HistorySidecar &sidecar) {
    // Prompts, file names and server text may hold any bytes; the sidecar stays valid JSON.
    write_file_durably(path,
                       nlohmann::json(sidecar).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n",
                       0600);
}

std::optional<HistorySidecar> read_history_sidecar(const std::string &path) {
    try {
        nlohmann::json json = nlohmann::json::parse(read_whole_file(path), nullptr, false);
        if (json.is_object())
            return json.get<HistorySidecar>();
    } catch (const Error &) {
    }
    return std::nullopt;
}

void set_history_delivered(const std::string &image_path, bool delivered) {
    const size_t dot = image_path.rfind('.');
    const size_t slash = image_path.rfind('/');
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash))
        throw Error(ErrorKind::io, "not a history image path: " + image_path);
    const std::string sidecar_path = image_path.substr(0, dot) + ".json";
    std::optional<HistorySidecar> sidecar = read_history_sidecar(sidecar_path);
    if (!sidecar)
        throw Error(ErrorKind::io, "the history sidecar " + sidecar_path + " cannot be read");
    sidecar->delivered = delivered;
    write_history_sidecar(sidecar_path, *sidecar);
}

} // namespace pictor
