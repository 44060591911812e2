// Which profile, URL and key a client uses: what the host passed, else the environment, else
// the user's config file ($XDG_CONFIG_HOME/pictor/config.json), else the defaults. One rule
// for every host, so GIMP, OBS and the CLI agree.
#pragma once

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
};

// `given` holds what the host passed ("" = not given). With use_environment false only the
// defaults fill the gaps. Throws Error(invalid_request) if the config file is not valid JSON.
ClientSettings resolve_client_settings(const ClientSettings &given, bool use_environment);

std::string config_file_path();

} // namespace pictor
