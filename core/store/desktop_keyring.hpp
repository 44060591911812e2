// The desktop keyring (the Secret Service: GNOME Keyring, KWallet) through libsecret. Reached
// only over an existing D-Bus session: no bus is never autolaunched, so a headless machine, a
// CI runner or a container answers "not reachable" at once instead of hanging.
#pragma once

#include <string>

namespace pictor {

struct KeyringAnswer {
    bool reachable = false; // false: no session bus, no libsecret, or the service refused
    std::string value;      // the secret found ("" when none)
    std::string problem;    // why it was not reachable, for messages; never holds a secret
};

// The stored API key. Never blocks on a missing bus; may show the desktop's unlock prompt.
KeyringAnswer keyring_lookup_api_key();

// Stores (or replaces) the API key in the default collection.
KeyringAnswer keyring_store_api_key(const std::string &api_key);

// True when this build has libsecret support at all.
bool keyring_supported();

} // namespace pictor
