// The size field of a generate or reference edit: "canvas" becomes the allowed size nearest the
// canvas's aspect (and the result is then scaled to the canvas); anything else is sent as given.
#pragma once

#include <string>

#include "api/gateway_profile.hpp"
#include "api/size_rules.hpp"

namespace pictor::plugin {

struct RequestedSize {
    std::string size_field;       // what ImageRequest::size gets ("" = not sent)
    bool scale_to_canvas = false; // "canvas" was asked
};

RequestedSize resolve_requested_size(const GatewayProfile &profile, const std::string &asked, ImageSize canvas);

} // namespace pictor::plugin
