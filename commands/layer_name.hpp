// The name a new layer gets: "Pictor: <prompt, shortened>", plus " (k/n)" among variations.
#pragma once

#include <string>

namespace pictor::plugin {

// variation 0-based; count 1: no number.
std::string layer_name(const std::string &prompt, int variation, int count);

} // namespace pictor::plugin
