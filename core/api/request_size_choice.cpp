#include "api/request_size_choice.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "error.hpp"

namespace pictor {

namespace {

// Width and height of a crop or a size, wide enough for the products.
struct Dims {
    int64_t w = 0, h = 0;
    int64_t area() const { return w * h; }
    double aspect() const { return double(w) / double(h); }
};

int64_t round_up16(int64_t v) { return (v + 15) / 16 * 16; }
int64_t round_down16(int64_t v) { return v / 16 * 16; }
int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// How far apart two aspects (or scales) are, symmetric: |ln(a / b)|.
double log_distance(double a, double b) { return std::fabs(std::log(a / b)); }

double clamp_ratio(double aspect) {
    return std::clamp(aspect, 1.0 / custom_size::max_ratio, custom_size::max_ratio);
}

ImageSize to_size(Dims d) { return {uint32_t(d.w), uint32_t(d.h)}; }

// Custom routes at native resolution: the crop size that is itself a valid request size, holds
// the needed region and fits in the canvas, with the fewest pixels (they cost money), a nearby
// aspect breaking near-ties. Multiples of 16 up to 3840 per side: at most 240 widths to try.
bool native_custom_dims(Dims needed, Dims canvas, Dims &best) {
    using namespace custom_size;
    const int64_t max_w = round_down16(std::min<int64_t>(canvas.w, max_edge));
    const int64_t max_h = round_down16(std::min<int64_t>(canvas.h, max_edge));
    const double wanted_aspect = clamp_ratio(needed.aspect());
    double best_score = std::numeric_limits<double>::infinity();
    for (int64_t w = std::max<int64_t>(16, round_up16(needed.w)); w <= max_w; w += 16) {
        const int64_t h = std::max({round_up16(needed.h), round_up16(ceil_div(int64_t(min_pixels), w)),
                                    round_up16(ceil_div(w, int64_t(max_ratio)))});
        if (h > max_h || !custom_size_problem(to_size({w, h})).empty())
            continue;
        const double score = double(w * h) * (1 + 0.25 * log_distance(double(w) / double(h), wanted_aspect));
        if (score < best_score) {
            best_score = score;
            best = {w, h};
        }
    }
    return best_score < std::numeric_limits<double>::infinity();
}

// Custom routes when the crop cannot be sent as is: the valid size nearest the crop's aspect,
// at the scale that brings it just inside the rules (up to the minimum pixels, down to 3840 and
// the maximum pixels, else 1).
ImageSize custom_request_size(Dims crop) {
    using namespace custom_size;
    const double area = double(crop.area());
    double scale = 1;
    if (area < double(min_pixels))
        scale = std::sqrt(double(min_pixels) / area);
    scale = std::min(scale, double(max_edge) / double(std::max(crop.w, crop.h)));
    scale = std::min(scale, std::sqrt(double(max_pixels) / area));
    const double aspect = crop.aspect();

    ImageSize best{};
    double best_cost = std::numeric_limits<double>::infinity();
    for (int64_t w = 16; w <= int64_t(max_edge); w += 16) {
        const double ideal_h = double(w) / aspect;
        const int64_t candidates[] = {round_down16(int64_t(ideal_h)), round_up16(int64_t(std::ceil(ideal_h))),
                                      round_up16(ceil_div(w, int64_t(max_ratio))),
                                      round_down16(w * int64_t(max_ratio))};
        for (int64_t h : candidates) {
            if (h < 16 || h > int64_t(max_edge) || !custom_size_problem(to_size({w, h})).empty())
                continue;
            // Distortion weighs more than a slightly different scale: the model sees the shape.
            const double cost = 4 * log_distance(double(w) / double(h), aspect) +
                                log_distance(std::sqrt(double(w * h) / area), scale);
            if (cost < best_cost) {
                best_cost = cost;
                best = to_size({w, h});
            }
        }
    }
    return best; // never empty: 1024x1024 always qualifies
}

// Widens a crop (within the canvas) to at least `target` pixels, both sides in proportion; when
// one side meets the canvas the other takes the rest, up to a 3:1 ratio.
Dims widen_to_area(Dims crop, int64_t target, Dims canvas) {
    if (crop.area() >= target)
        return crop;
    const double f = std::sqrt(double(target) / double(crop.area()));
    Dims out{std::min(canvas.w, int64_t(std::ceil(double(crop.w) * f))),
             std::min(canvas.h, int64_t(std::ceil(double(crop.h) * f)))};
    if (out.area() < target && out.w == canvas.w)
        out.h = std::min(canvas.h, std::max(out.h, ceil_div(target, out.w)));
    else if (out.area() < target && out.h == canvas.h)
        out.w = std::min(canvas.w, std::max(out.w, ceil_div(target, out.h)));
    // Widening never makes the ratio worse than 3:1 (the needed region itself may be).
    const auto max_ratio = int64_t(custom_size::max_ratio);
    out.w = std::max(crop.w, std::min(out.w, max_ratio * out.h));
    out.h = std::max(crop.h, std::min(out.h, max_ratio * out.w));
    return out;
}

// Widens the short side (within the canvas) until the ratio is at most 3:1 where it can be.
Dims widen_to_ratio(Dims crop, Dims canvas) {
    const auto max_ratio = int64_t(custom_size::max_ratio);
    if (crop.w > max_ratio * crop.h)
        crop.h = std::max(crop.h, std::min(canvas.h, ceil_div(crop.w, max_ratio)));
    if (crop.h > max_ratio * crop.w)
        crop.w = std::max(crop.w, std::min(canvas.w, ceil_div(crop.h, max_ratio)));
    return crop;
}

// The needed region widened toward `aspect` (never narrowed), within the canvas.
Dims widen_to_aspect(Dims needed, double aspect, Dims canvas) {
    Dims d = needed;
    if (d.aspect() < aspect)
        d.w = std::min(canvas.w, std::max(d.w, int64_t(std::ceil(double(d.h) * aspect - 1e-9))));
    else
        d.h = std::min(canvas.h, std::max(d.h, int64_t(std::ceil(double(d.w) / aspect - 1e-9))));
    return d;
}

std::vector<ImageSize> listed_sizes(const GatewayProfile &profile) {
    std::vector<ImageSize> sizes;
    for (const std::string &text : profile.sizes)
        if (auto size = parse_image_size(text))
            sizes.push_back(*size);
    if (sizes.empty())
        throw Error(ErrorKind::invalid_request,
                    "the profile '" + profile.name + "' allows only listed sizes but lists none that read as WxH" +
                        (profile.source_path.empty() ? std::string() : " (" + profile.source_path + ")") +
                        "; add its sizes to the profile's \"sizes\"");
    return sizes;
}

// Among the allowed sizes, those whose aspect is nearest `region`'s (within 2%: the lists'
// sizes of one aspect differ slightly after rounding to 16); of those, the smallest that holds
// the region (widened to its aspect within the canvas) without downscaling, else the largest.
ImageSize nearest_listed(const std::vector<ImageSize> &sizes, Dims region, Dims canvas) {
    double nearest = std::numeric_limits<double>::infinity();
    for (ImageSize s : sizes)
        nearest = std::min(nearest, log_distance(double(s.width) / s.height, region.aspect()));
    const ImageSize *smallest_holding = nullptr, *largest = nullptr;
    for (const ImageSize &s : sizes) {
        const double aspect = double(s.width) / s.height;
        if (log_distance(aspect, region.aspect()) > nearest + 0.02)
            continue;
        const Dims base = widen_to_aspect(region, aspect, canvas);
        if (s.width >= base.w && s.height >= base.h && (!smallest_holding || s.pixels() < smallest_holding->pixels()))
            smallest_holding = &s;
        if (!largest || s.pixels() > largest->pixels())
            largest = &s;
    }
    return smallest_holding ? *smallest_holding : *largest;
}

// The crop for a listed size: the size itself when the canvas has room around the needed region
// (native resolution), else the needed region widened toward the size's aspect and resolution
// as far as the canvas allows.
Dims crop_for_listed(ImageSize size, Dims needed, Dims canvas) {
    const Dims base = widen_to_aspect(needed, double(size.width) / size.height, canvas);
    if (size.width <= canvas.w && size.height <= canvas.h && size.width >= base.w && size.height >= base.h)
        return {int64_t(size.width), int64_t(size.height)};
    const double f = std::min({double(size.width) / double(base.w), double(size.height) / double(base.h),
                               double(canvas.w) / double(base.w), double(canvas.h) / double(base.h)});
    if (f <= 1)
        return base;
    return {std::clamp(int64_t(std::llround(double(base.w) * f)), base.w, canvas.w),
            std::clamp(int64_t(std::llround(double(base.h) * f)), base.h, canvas.h)};
}

// Places a crop of `dims` centred on the needed region, moved inside the canvas.
PixelRect place(Dims dims, const PixelRect &needed, Dims canvas) {
    const int64_t x = std::clamp<int64_t>(needed.x - (dims.w - needed.width) / 2, 0, canvas.w - dims.w);
    const int64_t y = std::clamp<int64_t>(needed.y - (dims.h - needed.height) / 2, 0, canvas.h - dims.h);
    return {int32_t(x), int32_t(y), int32_t(dims.w), int32_t(dims.h)};
}

double scale_of(ImageSize request, Dims crop) {
    if (int64_t(request.width) == crop.w && int64_t(request.height) == crop.h)
        return 1;
    return std::sqrt(double(request.pixels()) / double(crop.area()));
}

// What the model works at when no size is sent: about these (gpt-image-2's "auto" choices).
const std::vector<ImageSize> &sizeless_shapes() {
    static const std::vector<ImageSize> shapes{{1024, 1024}, {1536, 1024}, {1024, 1536}};
    return shapes;
}

bool takes_size(const GatewayProfile &profile) {
    return profile.size_rule != SizeRule::none && profile.sends_size;
}

Dims checked_canvas(ImageSize canvas) {
    if (canvas.width == 0 || canvas.height == 0 || canvas.width > uint32_t(std::numeric_limits<int32_t>::max()) ||
        canvas.height > uint32_t(std::numeric_limits<int32_t>::max()))
        throw Error(ErrorKind::invalid_argument,
                    "the canvas is " + canvas.text() + "; an image of at least 1x1 pixels is needed");
    return {int64_t(canvas.width), int64_t(canvas.height)};
}

} // namespace

CropChoice choose_inpaint_crop(const GatewayProfile &profile, PixelRect needed, ImageSize canvas_size) {
    const Dims canvas = checked_canvas(canvas_size);
    needed = needed.intersect({0, 0, int32_t(canvas.w), int32_t(canvas.h)});
    if (needed.empty())
        throw Error(ErrorKind::invalid_argument,
                    "there is nothing to inpaint: the selection does not overlap the " + canvas_size.text() +
                        " canvas; select the area to repaint first");
    const Dims region{needed.width, needed.height};

    CropChoice choice;
    if (!takes_size(profile)) {
        const ImageSize shape = nearest_listed(sizeless_shapes(), region, canvas);
        choice.crop = place(crop_for_listed(shape, region, canvas), needed, canvas);
        choice.request_size = {};
        choice.size_field = false;
        choice.scale = 1;
        return choice;
    }

    if (profile.size_rule == SizeRule::custom) {
        Dims crop;
        if (native_custom_dims(region, canvas, crop)) {
            choice.request_size = to_size(crop);
        } else {
            // Too big (downscale), or the canvas is too small or not a multiple of 16 where
            // the region needs it (resample a little, or upscale).
            crop = widen_to_ratio(region, canvas);
            crop = widen_to_area(crop, int64_t(custom_size::min_pixels), canvas);
            choice.request_size = custom_request_size(crop);
        }
        choice.crop = place(crop, needed, canvas);
        choice.scale = scale_of(choice.request_size, crop);
        return choice;
    }

    // list / presets
    const ImageSize size = nearest_listed(listed_sizes(profile), region, canvas);
    const Dims crop = crop_for_listed(size, region, canvas);
    choice.crop = place(crop, needed, canvas);
    choice.request_size = size;
    choice.scale = scale_of(size, crop);
    return choice;
}

ImageSize choose_canvas_size(const GatewayProfile &profile, ImageSize canvas_size) {
    const Dims canvas = checked_canvas(canvas_size);
    if (!takes_size(profile))
        return {};
    if (profile.size_rule == SizeRule::custom)
        return custom_size_problem(canvas_size).empty() ? canvas_size : custom_request_size(canvas);
    return nearest_listed(listed_sizes(profile), canvas, canvas);
}

} // namespace pictor
