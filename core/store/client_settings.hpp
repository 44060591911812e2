// Which profile, URL and key a client uses: what the host passed, else the environment, else
// the user's config file ($XDG_CONFIG_HOME/pictor/config.json), else the defaults. One rule
// for every host, so GIMP, OBS and the CLI agree.
#pragma once

#include <cstdint>
#include <string>

namespace pictor {

struct ClientSettings {
    std::string profile;      // never empty after resolution
    std::string base_url;     // "" = the profile's
    std::string api_key;      // "" = none found
    std::string api_key_source; // "the host", "PICTOR_API_KEY", "OPENAI_API_KEY", "<config path>"
    std::string model;        // "" = the profile's
    std::string history_dir;  // never empty after resolution
    std::string ca_file;      // "" = system CAs
    // Requests whose estimate is above this many US dollars are refused before sending; 0: no
    // limit. From PICTOR_MAX_COST_USD or the config's "max_cost_usd".
    double max_cost_usd = 0;
};

// `given` holds what the host passed ("" = not given). With use_environment false only the
// defaults fill the gaps. Throws Error(invalid_request) if the config file is not valid JSON.
ClientSettings resolve_client_settings(const ClientSettings &given, bool use_environment);

std::string config_file_path();

// The user's upload quality for hosts that leave it to them: PICTOR_UPLOAD_QUALITY, else the
// config's "upload_quality" ("lossless" | "fast"), else "" (lossless).
std::string configured_upload_quality();

// The config's "abandon_on_cancel" (true | false, else false): a host's cancel stops a request
// running in pictor-request-runner too, instead of leaving it to finish into history. Throws
// Error(invalid_request) when it is not true or false.
bool configured_abandon_on_cancel();

// Limits a user can change without code, for every host at once. 0 / -1 = not configured.
struct ClientLimits {
    double connect_timeout_s = 0;
    uint64_t max_response_bytes = 0;
    uint64_t max_pixels = 0;
    int max_retries = -1;
};

// From PICTOR_CONNECT_TIMEOUT, PICTOR_MAX_RESPONSE_BYTES, PICTOR_MAX_PIXELS, PICTOR_MAX_RETRIES,
// else the config file's "connect_timeout_s", "max_response_bytes", "max_pixels",
// "max_retries". Throws Error(invalid_request) naming the variable or key for a bad value.
ClientLimits configured_client_limits();

} // namespace pictor
