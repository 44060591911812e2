#include "json_output.hpp"

#include <nlohmann/json.hpp>

namespace pictor_cli {

namespace {

using Json = nlohmann::ordered_json;  // keeps the library's field order

// File names need not be UTF-8; replace what is not rather than fail to print at all.
std::string dump(const Json &json) {
    return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// The --json contract names twelve kinds (README); the library's finer statuses map onto them.
const char *contract_kind(const Failure &failure) {
    switch (failure.status) {
    case PICTOR_ERR_INVALID_ARGUMENT: return "invalid_request";  // bad usage: nothing was sent
    case PICTOR_ERR_BAD_IMAGE:  // the server's image, or one of the user's inputs
        return failure.request_sent ? "bad_response" : "invalid_request";
    case PICTOR_ERR_NO_MEMORY: return "too_large";
    default: break;
    }
    const char *kind = pictor_status_string(failure.status);
    return kind ? kind : "internal";
}

} // namespace

std::string success_json(const std::vector<std::string> &files, const char *result_json) {
    Json out = Json::object();
    out["files"] = files;
    Json metadata = Json::parse(result_json ? result_json : "", nullptr, /*allow_exceptions=*/false);
    if (metadata.is_object()) {
        for (auto &item : metadata.items())
            if (item.key() != "files") out[item.key()] = item.value();
    }
    return dump(out);
}

std::vector<std::string> result_error_messages(const char *result_json) {
    std::vector<std::string> messages;
    Json metadata = Json::parse(result_json ? result_json : "", nullptr, /*allow_exceptions=*/false);
    if (!metadata.is_object() || !metadata.contains("errors") || !metadata["errors"].is_array())
        return messages;
    for (const Json &error : metadata["errors"]) {
        if (error.is_string()) {
            messages.push_back(error.get<std::string>());
        } else if (error.is_object()) {
            const Json *found = error.contains("message") ? &error["message"] : nullptr;
            messages.push_back(found && found->is_string() ? found->get<std::string>() : dump(error));
        }
    }
    return messages;
}

std::vector<std::string> result_warnings(const char *result_json) {
    std::vector<std::string> warnings;
    Json metadata = Json::parse(result_json ? result_json : "", nullptr, /*allow_exceptions=*/false);
    if (metadata.is_object() && metadata.contains("warnings") && metadata["warnings"].is_array())
        for (const Json &warning : metadata["warnings"])
            if (warning.is_string())
                warnings.push_back(warning.get<std::string>());
    return warnings;
}

std::string failure_json(const Failure &failure) {
    Json error = Json::object();
    error["kind"] = contract_kind(failure);
    error["status"] = failure.http_status;
    error["code"] = failure.code;
    error["message"] = failure.message;
    error["request_id"] = failure.request_id;
    error["may_be_billed"] = failure.may_be_billed;
    error["history"] = failure.history;
    if (failure.cost_usd_estimate >= 0)
        error["cost_usd_estimate"] = failure.cost_usd_estimate;
    Json out = Json::object();
    out["error"] = error;
    return dump(out);
}

} // namespace pictor_cli
