// A reference price for a request, shown before sending. Gateways bill 2K/4K by tokens, so
// beyond the published sizes this is an estimate scaled by pixels.
#pragma once

#include "api/gateway_profile.hpp"
#include "api/size_rules.hpp"

#include <string>

namespace pictor {

// quality: ours ("low" / "medium" / "high" / "auto" / ""); calls: HTTP requests sent;
// images: images asked for in total.
double estimate_cost_usd(const GatewayProfile &profile, ImageSize size, const std::string &quality,
                         int calls, int images);

// "$0.53", "$0.004": cents, or the first significant digits below a cent.
std::string format_usd(double usd);

} // namespace pictor
