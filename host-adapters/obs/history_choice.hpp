// "Show in this source": the recent images of pictor's history (every image ever received, from
// any host), newest first with their prompt and time, to show one again without a request.
#pragma once

#include <obs.h>

#include <string>

namespace pictor_obs {

namespace property {
constexpr const char *history_entry = "history_entry"; // the chosen entry's id
constexpr const char *show_history = "show_history";
constexpr const char *history_arrived = "history_arrived"; // "N paid images arrived while you were away"
} // namespace property

// The list (read through pictor_history_list) and the button; on_show: the button's callback.
// Images that arrived while OBS was away (history's "delivered": false) are marked in the list
// and counted in a line above it.
void add_history_properties(obs_properties_t *props, obs_property_clicked_t on_show);
// "2 paid images arrived while you were away: ..."; "" when there are none.
std::string undelivered_text();
// Module load: the same line in OBS's log, when there are any.
void announce_undelivered_images();
// The entry id is shown in a source now: clears its "not yet delivered" mark, if it has one.
void mark_shown_if_undelivered(const std::string &id);

} // namespace pictor_obs
