// What this OBS session's pictor requests may have cost (the estimates of the images received),
// over every Pictor source and filter, and the price of the next click, for the properties.
#pragma once

#include "request_spec.hpp"

#include <string>

namespace pictor_obs {

// Any thread: a request of this session brought an image that may have cost usd.
void add_session_spending(double usd);

// "Each click: about $0.006 (1280x720, low, 2 previews). This OBS session: $0.01 (2 images)."
// spec: the request as the next click would send it (size already resolved); edit: a restyle.
std::string cost_text(const RequestSpec &spec, bool edit);
// "about $0.006" for one click with spec (size resolved), "" when the model states no price.
std::string click_price(const RequestSpec &spec, bool edit);

} // namespace pictor_obs
