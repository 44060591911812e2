// "Show in this source": the recent images of pictor's history (every image ever received, from
// any host), newest first with their prompt and time, to show one again without a request.
#pragma once

#include <obs.h>

namespace pictor_obs {

namespace property {
constexpr const char *history_entry = "history_entry"; // the chosen entry's id
constexpr const char *show_history = "show_history";
} // namespace property

// The list (read through pictor_history_list) and the button; on_show: the button's callback.
void add_history_properties(obs_properties_t *props, obs_property_clicked_t on_show);

} // namespace pictor_obs
