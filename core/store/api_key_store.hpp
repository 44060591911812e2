// `pictor login` and the hosts' settings dialogs: where an API key and the default profile are
// kept. The key goes to the desktop keyring when one is reachable, else to the user's config
// file with mode 0600; the caller is told which, so nobody wonders where their secret went.
// Reading them back is client_settings' job (environment first).
#pragma once

#include <string>

namespace pictor {

enum class KeyDestination { automatic, keyring, config_file };

struct StoredKeyPlace {
    bool in_keyring = false;
    std::string description;     // "the desktop keyring (libsecret)" or the config file's path
    std::string keyring_problem; // why the keyring was not used ("" when it was or not tried)
};

// Throws Error(invalid_argument) for an empty key or one with spaces or control characters,
// Error(io) when the keyring was demanded but is unreachable or the file cannot be written.
StoredKeyPlace store_api_key(const std::string &api_key, KeyDestination destination);

// Makes `profile` the config file's "profile" (the default when PICTOR_PROFILE is unset);
// "" removes it. Other settings of the file are kept. Returns the file's path. The name is
// not checked here (the caller knows its catalog). Throws Error(io) as store_api_key does.
std::string store_default_profile(const std::string &profile);

// Any text setting of the config file (profile, upload_quality), the same way; "" removes it.
std::string store_config_setting(const std::string &key, const std::string &value);

} // namespace pictor
