#include "api/pricing.hpp"

#include <cstdio>

namespace pictor {

std::optional<double> estimate_cost_usd(const ModelSpec &model, ImageSize size, const std::string &quality,
                                        int calls, int images) {
    const ModelPricing &pricing = model.pricing;
    if (pricing.kind == "per_call")
        return pricing.per_call_usd * calls;
    if (pricing.kind != "per_image")
        return std::nullopt;
    // "auto" and unset are priced as the profile says (the middle of what the server may pick).
    const std::string priced_as = quality.empty() || quality == "auto" ? pricing.quality_if_unset : quality;
    auto table = pricing.per_image_usd.find(priced_as);
    if (table == pricing.per_image_usd.end())
        return std::nullopt;
    const ImageSize reference = *parse_image_size(pricing.scale_from); // checked when parsed
    if (size.width == 0)
        size = reference; // the server picks: priced as the reference size
    if (auto listed = table->second.find(size.text()); listed != table->second.end())
        return listed->second * images;
    auto base = table->second.find(reference.text());
    if (base == table->second.end())
        return std::nullopt;
    return base->second * double(size.pixels()) / double(reference.pixels()) * images;
}

std::string format_usd(std::optional<double> usd) {
    if (!usd)
        return "unknown";
    char text[32];
    std::snprintf(text, sizeof text, *usd >= 0.01 || *usd <= 0 ? "$%.2f" : "$%.2g", *usd);
    return text;
}

} // namespace pictor
