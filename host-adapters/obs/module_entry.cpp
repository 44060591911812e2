// The OBS module "pictor": registers the Pictor Image source and the Pictor Restyle filter.
// Loading does no network and reads no key (it reads the history folder, to say what arrived
// while OBS was away); requests start only on a button or a hotkey.
#include "history_choice.hpp"
#include "image_source.hpp"
#include "pictor_client_factory.hpp"
#include "pictor_settings_entry.hpp"
#include "restyle_filter.hpp"

#include <pictor/pictor.h>

#include <obs-module.h>

OBS_DECLARE_MODULE()
OBS_MODULE_USE_DEFAULT_LOCALE("pictor", "en-US")

MODULE_EXPORT const char *obs_module_name(void) { return "pictor"; }

MODULE_EXPORT const char *obs_module_description(void) {
    return "gpt-image-2 images in OBS: the Pictor Image source and the Pictor Restyle filter.";
}

bool obs_module_load(void) {
    // Refuse a library that does not match the header this module was built with, rather than
    // crash later.
    if (!pictor_library_is_compatible()) {
        blog(LOG_ERROR,
             "[pictor] this module was built for libpictor %d.%d but found %s; reinstall the module "
             "and libpictor from the same build",
             PICTOR_VERSION_MAJOR, PICTOR_VERSION_MINOR, pictor_version_string());
        return false;
    }
    pictor_obs::register_image_source();
    pictor_obs::register_restyle_filter();
    pictor_obs::register_settings_entry();
    blog(LOG_INFO, "[pictor] module loaded (libpictor %s)", pictor_version_string());
    pictor_obs::announce_undelivered_images(); // local: reads the history folder only
    return true;
}

void obs_module_unload(void) {
    // Sources and filters are destroyed before modules unload; each abandoned its own request.
    pictor_obs::stop_settings_entry();
    pictor_obs::forget_route_client();
    blog(LOG_INFO, "[pictor] module unloaded");
}
