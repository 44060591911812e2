// Tools > Pictor Settings: paste the API key (kept where `pictor login` keeps it: the desktop
// keyring, else ~/.config/pictor/config.json mode 0600, through pictor_store_api_key), choose
// the default gateway profile and the upload quality, and test the connection (the route's model
// list with the key: nothing billed). The window is the OBS
// properties window of a private source ("pictor_settings", never in a scene or saved), opened
// through obs-frontend-api; that API exists only inside the OBS app, so it is looked up at load
// time and the module still loads without it (headless libobs).
#pragma once

namespace pictor_obs {

// Registers the settings window's source type "pictor_settings" (always; a test opens its
// properties like the menu entry does) and the Tools menu entry (when OBS's frontend is there).
void register_settings_entry();
// Module unload: a connection check still running is cancelled and waited for.
void stop_settings_entry();

} // namespace pictor_obs
