#include "requested_size.hpp"

#include "api/request_size_choice.hpp"

namespace pictor::plugin {

RequestedSize resolve_requested_size(const GatewayProfile &profile, const std::string &asked, ImageSize canvas) {
    if (asked != "canvas")
        return {asked, false};
    ImageSize chosen = choose_canvas_size(profile, canvas);
    // Routes without sizes return {0,0}: nothing is sent and the result is scaled anyway.
    return {chosen.width ? chosen.text() : std::string(), true};
}

} // namespace pictor::plugin
