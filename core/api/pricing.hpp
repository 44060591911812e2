// A reference price for a request, shown before sending, read from the model's entry in the
// profile (docs/profile-schema.md, "pricing"). Gateways bill 2K/4K by tokens, so beyond the
// sizes a profile lists this is an estimate scaled by pixels.
#pragma once

#include "api/gateway_profile.hpp"
#include "api/size_rules.hpp"

#include <optional>
#include <string>

namespace pictor {

// quality: ours ("low" / "medium" / "high" / "xhigh" / "auto" / ""); calls: HTTP requests
// sent; images: images asked for in total. nullopt: the price is unknown (the model entry
// states none, or none for this quality) — never a guess.
std::optional<double> estimate_cost_usd(const ModelSpec &model, ImageSize size, const std::string &quality,
                                        int calls, int images);

// "$0.53", "$0.004": cents, or the first significant digits below a cent; "unknown" for nullopt.
std::string format_usd(std::optional<double> usd);

} // namespace pictor
