#include "store/client_settings.hpp"

#include <algorithm>
#include <cctype>

#include <cmath>
#include <cstdlib>
#include <fstream>

#include <nlohmann/json.hpp>

#include "error.hpp"
#include "store/desktop_keyring.hpp"
#include "store/user_dirs.hpp"

namespace pictor {
namespace {

nlohmann::json read_config_file(const std::string &path) {
    std::ifstream in(path);
    if (!in)
        return nlohmann::json::object();
    nlohmann::json config = nlohmann::json::parse(in, nullptr, false);
    if (config.is_discarded() || !config.is_object())
        throw Error(ErrorKind::invalid_request,
                    "the config file " + path + " is not a JSON object — fix or delete it");
    return config;
}

std::string config_string(const nlohmann::json &config, const char *key) {
    auto it = config.find(key);
    return it != config.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The first non-empty candidate; `source` names where it came from.
void choose(std::string &value, std::string *source,
            std::initializer_list<std::pair<std::string, std::string>> candidates) {
    if (!value.empty())
        return;
    for (const auto &[candidate, where] : candidates)
        if (!candidate.empty()) {
            value = candidate;
            if (source)
                *source = where;
            return;
        }
}

// A positive number (an integer when `integer`) from the environment, else the config file.
// Neither has it: 0, or -1 with `allow_zero` (counts such as retries, where 0 is a choice).
double configured_number(const char *variable, const nlohmann::json &config, const char *key,
                         bool integer, bool allow_zero, double max) {
    std::string text = env_or_empty(variable);
    std::string where = variable;
    double value = 0;
    if (!text.empty()) {
        char *end = nullptr;
        value = std::strtod(text.c_str(), &end);
        if (*end != '\0')
            value = -1;
    } else if (auto it = config.find(key); it != config.end()) {
        where = "\"" + std::string(key) + "\" in " + config_file_path();
        value = it->is_number() ? it->get<double>() : -1;
    } else {
        return allow_zero ? -1 : 0;
    }
    bool ok = std::isfinite(value) && value >= (allow_zero ? 0 : 1e-9) && value <= max &&
              (!integer || value == std::floor(value));
    if (!ok)
        throw Error(ErrorKind::invalid_request,
                    where + " must be " + (integer ? "a whole number" : "a number") + " from " +
                        (allow_zero ? "0" : "above 0") + " to " + std::to_string(uint64_t(max)) +
                        ": fix it or remove it to use the default");
    return value;
}

} // namespace

ClientLimits configured_client_limits() {
    nlohmann::json config = read_config_file(config_file_path());
    ClientLimits limits;
    limits.connect_timeout_s =
        configured_number("PICTOR_CONNECT_TIMEOUT", config, "connect_timeout_s", false, false, 3600);
    limits.max_response_bytes = uint64_t(
        configured_number("PICTOR_MAX_RESPONSE_BYTES", config, "max_response_bytes", true, false, 1e15));
    limits.max_pixels =
        uint64_t(configured_number("PICTOR_MAX_PIXELS", config, "max_pixels", true, false, 1e12));
    limits.max_retries = int(configured_number("PICTOR_MAX_RETRIES", config, "max_retries", true, true, 10));
    return limits;
}

std::string config_file_path() { return user_config_dir() + "/config.json"; }

std::string configured_upload_quality() {
    std::string value = env_or_empty("PICTOR_UPLOAD_QUALITY");
    return value.empty() ? config_string(read_config_file(config_file_path()), "upload_quality") : value;
}

bool configured_abandon_on_cancel() {
    const nlohmann::json config = read_config_file(config_file_path());
    auto it = config.find("abandon_on_cancel");
    if (it == config.end())
        return false;
    if (!it->is_boolean())
        throw Error(ErrorKind::invalid_request, "\"abandon_on_cancel\" in " + config_file_path() +
                                                    " must be true or false: fix it or remove it to use the default");
    return it->get<bool>();
}

ClientSettings resolve_client_settings(const ClientSettings &given, bool use_environment) {
    ClientSettings s = given;
    if (!s.api_key.empty())
        s.api_key_source = "the host";
    if (use_environment) {
        std::string path = config_file_path();
        nlohmann::json config = read_config_file(path);
        choose(s.api_key, &s.api_key_source,
               {{env_or_empty("PICTOR_API_KEY"), "PICTOR_API_KEY"},
                {env_or_empty("OPENAI_API_KEY"), "OPENAI_API_KEY"}});
        // The keyring is asked only when the environment has no key (it may mean D-Bus).
        if (s.api_key.empty())
            choose(s.api_key, &s.api_key_source, {{keyring_lookup_api_key().value, "the desktop keyring"}});
        choose(s.api_key, &s.api_key_source, {{config_string(config, "api_key"), path}});
        choose(s.base_url, nullptr,
               {{env_or_empty("PICTOR_BASE_URL"), ""},
                {env_or_empty("OPENAI_BASE_URL"), ""},
                {config_string(config, "base_url"), ""}});
        choose(s.profile, nullptr,
               {{env_or_empty("PICTOR_PROFILE"), ""}, {config_string(config, "profile"), ""}});
        choose(s.history_dir, nullptr, {{default_history_dir(), ""}});
        choose(s.ca_file, nullptr, {{env_or_empty("PICTOR_CA_FILE"), ""}, {config_string(config, "ca_file"), ""}});
        if (s.max_cost_usd <= 0)
            s.max_cost_usd = std::max(0.0, configured_number("PICTOR_MAX_COST_USD", config, "max_cost_usd",
                                                             false, false, 1e6));
    }
    choose(s.profile, nullptr, {{"openai", ""}});
    choose(s.history_dir, nullptr, {{user_data_dir() + "/history", ""}});
    // A key file's final newline is not part of the key; a line break inside it would become
    // a second header line (and say the key was pasted wrong).
    while (!s.api_key.empty() && std::isspace(static_cast<unsigned char>(s.api_key.back())))
        s.api_key.pop_back();
    while (!s.api_key.empty() && std::isspace(static_cast<unsigned char>(s.api_key.front())))
        s.api_key.erase(0, 1);
    for (char c : s.api_key)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            throw Error(ErrorKind::auth, "The API key from " + s.api_key_source +
                                             " contains a line break or another control character, so it "
                                             "cannot be a key; set it again on one line. Nothing was sent.");
    return s;
}

} // namespace pictor
