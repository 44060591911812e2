// Filter "Pictor Restyle" (pictor_restyle_filter), for any video source: on its button or
// hotkey it snapshots the source's current frame, sends it with the prompt to /images/edits,
// and shows the result over the source (scaled to the source's size) until cleared. Its
// hotkeys live on the filtered source: libobs 29 refuses hotkeys registered on a filter.
#pragma once

namespace pictor_obs {

void register_restyle_filter();

} // namespace pictor_obs
