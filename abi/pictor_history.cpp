// The C ABI's history and key calls (pictor.h, "history and the stored key"): each entry point
// is one exception barrier over core/store, with failures in pictor_thread_last_error().
#include <pictor/pictor.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/request_runner_protocol.hpp"
#include "api/gateway_profile.hpp"
#include "error.hpp"
#include "history_shim_bridge.hpp"
#include "image/image_decode.hpp"
#include "image/upload_encoding.hpp"
#include "store/api_key_store.hpp"
#include "store/client_settings.hpp"
#include "store/durable_file.hpp"
#include "store/history_catalog.hpp"
#include "store/history_thumbnail.hpp"
#include "store/user_dirs.hpp"

namespace {

using pictor::Error;
using pictor::ErrorKind;

std::string history_dir_or_default(const char *history_dir) {
    return history_dir && *history_dir ? history_dir : pictor::default_history_dir();
}

std::string format_of(const pictor::HistoryRecord &record) {
    if (!record.sidecar.format.empty())
        return record.sidecar.format;
    auto dot = record.image_path.rfind('.');
    return dot == std::string::npos ? "" : record.image_path.substr(dot + 1);
}

// One entry as the list calls give it (pictor.h, pictor_history_list).
nlohmann::json entry_json(const pictor::HistoryRecord &record) {
    const pictor::HistorySidecar &sidecar = record.sidecar;
    auto quality = sidecar.parameters.find("quality");
    return {{"id", record.id},
            {"time", sidecar.time},
            {"profile", sidecar.profile},
            {"model", sidecar.model},
            {"size", sidecar.size},
            {"quality", quality != sidecar.parameters.end() && quality->is_string() ? *quality : nlohmann::json("")},
            {"prompt", sidecar.prompt},
            {"request_id", sidecar.request_id},
            {"cost_usd_estimate", sidecar.cost_usd_estimate ? nlohmann::json(*sidecar.cost_usd_estimate)
                                                            : nlohmann::json(nullptr)},
            {"format", format_of(record)},
            {"image_path", record.image_path},
            {"sidecar_path", record.sidecar_path},
            // Set false by pictor-request-runner for an image whose host had gone.
            {"delivered", sidecar.delivered}};
}

char *entries_json(const std::vector<pictor::HistoryRecord> &records) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto &record : records)
        list.push_back(entry_json(record));
    // Prompts are the user's text: never let odd bytes make the JSON unreadable.
    return pictor_shim::malloc_copy(list.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

} // namespace

extern "C" {

pictor_status pictor_history_list(const char *history_dir, char **json_out) {
    if (json_out)
        *json_out = nullptr;
    return pictor_shim::run_with_thread_error([&] {
        if (!json_out)
            throw Error(ErrorKind::invalid_argument, "json_out is NULL");
        *json_out = entries_json(pictor::list_history(history_dir_or_default(history_dir)));
    });
}

pictor_status pictor_history_search(const char *history_dir, const char *text, size_t limit, char **json_out) {
    if (json_out)
        *json_out = nullptr;
    return pictor_shim::run_with_thread_error([&] {
        if (!json_out)
            throw Error(ErrorKind::invalid_argument, "json_out is NULL");
        *json_out = entries_json(
            pictor::search_history(history_dir_or_default(history_dir), text ? text : "", limit));
    });
}

pictor_status pictor_history_entry(const char *history_dir, const char *id, char **json_out) {
    if (json_out)
        *json_out = nullptr;
    return pictor_shim::run_with_thread_error([&] {
        if (!id || !json_out)
            throw Error(ErrorKind::invalid_argument, "id and json_out must not be NULL");
        pictor::HistoryRecord record = pictor::find_history_entry(history_dir_or_default(history_dir), id);
        nlohmann::json entry = entry_json(record);
        entry["sidecar"] = record.sidecar_read ? nlohmann::json(record.sidecar) : nlohmann::json::object();
        *json_out = pictor_shim::malloc_copy(entry.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    });
}

pictor_status pictor_history_thumbnail(const char *history_dir, const char *id, char **path_out) {
    if (path_out)
        *path_out = nullptr;
    return pictor_shim::run_with_thread_error([&] {
        if (!id || !path_out)
            throw Error(ErrorKind::invalid_argument, "id and path_out must not be NULL");
        std::string dir = history_dir_or_default(history_dir);
        *path_out = pictor_shim::malloc_copy(pictor::history_thumbnail(dir, pictor::find_history_entry(dir, id)));
    });
}

pictor_status pictor_history_delete(const char *history_dir, const char *id) {
    return pictor_shim::run_with_thread_error([&] {
        if (!id)
            throw Error(ErrorKind::invalid_argument, "id is NULL");
        pictor::delete_history_entry(history_dir_or_default(history_dir), id);
    });
}

pictor_status pictor_history_load(const char *history_dir, const char *id, uint64_t max_pixels, pictor_image **out) {
    if (out)
        *out = nullptr;
    return pictor_shim::run_with_thread_error([&] {
        if (!id || !out)
            throw Error(ErrorKind::invalid_argument, "id and out must not be NULL");
        pictor::HistoryRecord record = pictor::find_history_entry(history_dir_or_default(history_dir), id);
        if (record.image_path.empty())
            throw Error(ErrorKind::io, "history entry " + record.id + " has no image file left (only " +
                                           record.sidecar_path + ")");
        std::string bytes = pictor::read_whole_file(record.image_path);
        pictor::DecodeLimits limits;
        if (max_pixels)
            limits.max_pixels = max_pixels;
        const auto *data = reinterpret_cast<const uint8_t *>(bytes.data());
        pictor::RgbaImage rgba = pictor::decode_image(data, bytes.size(), limits);
        std::string format = pictor::image_format_name(pictor::sniff_image_format(data, bytes.size()));
        *out = pictor_shim::new_image(std::move(rgba), std::move(bytes), std::move(format), record.image_path,
                                      record.sidecar.request_id);
    });
}

pictor_status pictor_history_mark_delivered(const char *history_dir, const char *id) {
    return pictor_shim::run_with_thread_error([&] {
        if (!id)
            throw Error(ErrorKind::invalid_argument, "id is NULL");
        pictor::HistoryRecord record = pictor::find_history_entry(history_dir_or_default(history_dir), id);
        if (record.image_path.empty())
            throw Error(ErrorKind::io, "history entry " + record.id + " has no image file left");
        pictor::set_history_delivered(record.image_path, true);
    });
}

pictor_status pictor_store_api_key(const char *api_key, pictor_key_store where, char **where_json_out) {
    if (where_json_out)
        *where_json_out = nullptr;
    return pictor_shim::run_with_thread_error([&] {
        if (!api_key)
            throw Error(ErrorKind::invalid_argument, "api_key is NULL");
        pictor::KeyDestination destination = pictor::KeyDestination::automatic;
        if (where == PICTOR_KEY_STORE_KEYRING)
            destination = pictor::KeyDestination::keyring;
        else if (where == PICTOR_KEY_STORE_CONFIG_FILE)
            destination = pictor::KeyDestination::config_file;
        else if (where != PICTOR_KEY_STORE_AUTO)
            throw Error(ErrorKind::invalid_argument, "where is not a pictor_key_store value");
        pictor::StoredKeyPlace place = pictor::store_api_key(api_key, destination);
        if (where_json_out) {
            nlohmann::json answer = {{"keyring", place.in_keyring},
                                     {"where", place.description},
                                     {"keyring_problem", place.keyring_problem}};
            *where_json_out = pictor_shim::malloc_copy(answer.dump());
        }
    });
}

pictor_status pictor_store_default_profile(const char *profile, char **where_out) {
    if (where_out)
        *where_out = nullptr;
    return pictor_shim::run_with_thread_error([&] {
        std::string name = profile ? profile : "";
        if (!name.empty())
            pictor::ProfileCatalog::standard().find(name); // throws, naming the known profiles
        std::string path = pictor::store_default_profile(name);
        if (where_out)
            *where_out = pictor_shim::malloc_copy(path);
    });
}

pictor_status pictor_store_upload_quality(int quality, char **where_out) {
    if (where_out)
        *where_out = nullptr;
    return pictor_shim::run_with_thread_error([&] {
        if (quality < PICTOR_UPLOAD_DEFAULT || quality > PICTOR_UPLOAD_FAST)
            throw Error(ErrorKind::invalid_argument,
                        "quality must be PICTOR_UPLOAD_DEFAULT, _LOSSLESS or _FAST");
        std::string value = quality == PICTOR_UPLOAD_DEFAULT ? ""
                            : pictor::upload_quality_name(quality == PICTOR_UPLOAD_FAST ? pictor::UploadQuality::fast
                                                                                         : pictor::UploadQuality::lossless);
        std::string path = pictor::store_config_setting("upload_quality", value);
        if (where_out)
            *where_out = pictor_shim::malloc_copy(path);
    });
}

pictor_upload_quality pictor_upload_quality_setting(int *from_environment_out) {
    if (from_environment_out)
        *from_environment_out = 0;
    try {
        if (from_environment_out)
            *from_environment_out = !pictor::env_or_empty("PICTOR_UPLOAD_QUALITY").empty();
        auto parsed = pictor::parse_upload_quality(pictor::configured_upload_quality());
        return parsed == pictor::UploadQuality::fast ? PICTOR_UPLOAD_FAST : PICTOR_UPLOAD_LOSSLESS;
    } catch (...) { // an unreadable config file: what a request would then refuse, not here
        return PICTOR_UPLOAD_LOSSLESS;
    }
}

} // extern "C"
