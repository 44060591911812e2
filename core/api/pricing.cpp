#include "api/pricing.hpp"

#include <cstdio>

namespace pictor {

double estimate_cost_usd(const GatewayProfile &profile, ImageSize size, const std::string &quality,
                         int calls, int images) {
    if (profile.pricing_kind == "per_call")
        return profile.per_call_usd * calls;
    // OpenAI's per-image reference for gpt-image-2: square 1024 and the 3:2 / 2:3 1536 sizes.
    // "auto" and unset are priced as medium, the middle of what the server may pick.
    double square, oblong;
    if (quality == "low") {
        square = 0.006;
        oblong = 0.005;
    } else if (quality == "high") {
        square = 0.211;
        oblong = 0.165;
    } else {
        square = 0.053;
        oblong = 0.041;
    }
    if (size.width == 0)
        size = {1024, 1024};
    ImageSize landscape{1536, 1024}, portrait{1024, 1536};
    double per_image;
    if (size == ImageSize{1024, 1024})
        per_image = square;
    else if (size == landscape || size == portrait)
        per_image = oblong;
    else
        per_image = square * double(size.pixels()) / (1024.0 * 1024.0);
    return per_image * images;
}

std::string format_usd(double usd) {
    char text[32];
    std::snprintf(text, sizeof text, usd >= 0.01 || usd <= 0 ? "$%.2f" : "$%.2g", usd);
    return text;
}

} // namespace pictor
