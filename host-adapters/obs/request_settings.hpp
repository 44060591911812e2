// The settings the image source and the restyle filter share: prompt, gateway profile, base URL,
// size, quality. None is secret — the API key is never an OBS setting — so they may live in the
// scene collection.
#pragma once

#include "request_spec.hpp"

#include <obs.h>

namespace pictor_obs {

namespace setting {
constexpr const char *prompt = "prompt";
constexpr const char *profile = "profile";
constexpr const char *base_url = "base_url";
constexpr const char *size = "size";
constexpr const char *quality = "quality";
constexpr const char *previews = "previews";
constexpr const char *history_path = "history_path"; // the image source's last result
} // namespace setting

void set_request_defaults(obs_data_t *settings);
// with_size: the restyle filter leaves the size to the route (its input decides the aspect).
void add_request_properties(obs_properties_t *props, bool with_size);
// Copies the request fields of settings into a spec (kind and inputs left as they are).
void read_request_settings(obs_data_t *settings, RequestSpec &spec);

} // namespace pictor_obs
