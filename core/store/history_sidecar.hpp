// The history sidecar (<id>.json next to <id>.<ext>): what was asked for a paid image and what
// came back. This record is its one schema: the client fills it, history_store writes it,
// history_catalog reads it, and the request runner flips "delivered", all through the calls
// below. The on-disk keys are those of every earlier version; keys this version does not know
// are kept as read and written back.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace pictor {

struct HistorySidecar {
    // Filled by the client when the image arrives.
    std::string prompt;
    std::string profile;
    std::string model;
    std::string base_url;          // without credentials
    std::string endpoint;          // "generations" or "edits"
    nlohmann::json parameters = nlohmann::json::object(); // the request's fields as sent
    std::string format;            // "png", "jpeg", "webp", "unknown"
    std::string request_id;
    nlohmann::json usage;          // the usage of the call that brought it; null when none
    int index = 0;                 // 1-based within the request
    std::optional<double> cost_usd_estimate; // this image's share; none when the price is unknown
    std::optional<std::vector<std::string>> input_images; // edits: the uploaded files' names
    std::optional<bool> mask;      // edits: whether a mask went along
    std::string size;              // "1024x1024" as decoded from the header, or "unknown"
    // Filled by HistoryStore::save.
    std::string id;                // "20261121-153012-ab12cd-1"
    std::string image_file;        // "<id>.<ext>", in the same folder
    std::string time;              // "2026-11-21T15:30:12Z"
    // False: pictor-request-runner kept it for a host that had gone. Written only when false.
    bool delivered = true;
    nlohmann::json other = nlohmann::json::object(); // keys of other versions, kept as read
};

void to_json(nlohmann::json &json, const HistorySidecar &sidecar);
// Lenient: a missing or mistyped key keeps its default (a sidecar must never hide its image).
void from_json(const nlohmann::json &json, HistorySidecar &sidecar);

// Durably, 0600. Throws Error(io).
void write_history_sidecar(const std::string &path, const HistorySidecar &sidecar);
// nullopt when the file is missing, unreadable or not a JSON object.
std::optional<HistorySidecar> read_history_sidecar(const std::string &path);

// The sidecar of history image `image_path` (<dir>/<id>.<ext> -> <dir>/<id>.json) rewritten
// with "delivered" = `delivered`. Throws Error(io) when it cannot be read or written.
void set_history_delivered(const std::string &image_path, bool delivered);

} // namespace pictor
