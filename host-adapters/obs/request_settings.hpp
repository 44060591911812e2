// The settings the image source and the restyle filter share: prompt, gateway profile, base URL,
// model, size, quality, complexity, previews (and the restyle's upload quality). None is
// secret — the API key is never an OBS setting — so they may live in the scene collection.
#pragma once

#include "request_spec.hpp"

#include <obs.h>

#include <string>

namespace pictor_obs {

namespace setting {
constexpr const char *prompt = "prompt";
constexpr const char *profile = "profile";
constexpr const char *base_url = "base_url";
constexpr const char *size = "size";
constexpr const char *quality = "quality";
constexpr const char *model = "model";           // "" = the profile's default model
constexpr const char *complexity = "complexity"; // "" = not sent
constexpr const char *upload_quality = "upload_quality"; // pictor_upload_quality; restyle only
constexpr const char *previews = "previews";
constexpr const char *failure_indicator = "failure_indicator"; // the red bar after a failure
constexpr const char *history_path = "history_path"; // the image shown (source) or laid over (filter)
} // namespace setting

// The size value "fit the canvas": the size the route accepts nearest the OBS canvas's
// aspect; the image is then scaled to fit the canvas.
constexpr const char *fit_canvas_size = "canvas";

// with_size: the restyle filter leaves the size to the route (its input decides the aspect).
void set_request_defaults(obs_data_t *settings, bool with_size);
// Prompt, profile, model, size, quality and complexity (choices from the chosen model's entry in
// the profile), previews, the failure indicator, and where the API key comes from. edit: the
// price shown is an edit's, and the upload quality of the frame is offered (the restyle filter).
void add_request_properties(obs_properties_t *props, obs_data_t *settings, bool with_size, bool edit);
// Copies the request fields of settings into a spec (kind and inputs left as they are).
void read_request_settings(obs_data_t *settings, RequestSpec &spec);
// "canvas" made a real size for spec's route (the OBS canvas's aspect); "" when the route takes
// none; any other size as it is.
std::string resolved_size(const RequestSpec &spec);
// The profiles installed with pictor and the user's own (~/.config/pictor/profiles), after an
// entry "" labelled empty_label: local files only, never the network.
void add_profile_choices(obs_property_t *list, const char *empty_label);
// The OBS canvas (obs_get_video_info's base size); 0 x 0 before video is set up.
void canvas_size(uint32_t &width, uint32_t &height);

} // namespace pictor_obs
