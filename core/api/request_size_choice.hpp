// Which crop of the canvas to send and at which size, so that the route accepts it and a small
// selection keeps its native resolution instead of being letterboxed into a fixed box.
#pragma once

#include "api/gateway_profile.hpp"
#include "api/size_rules.hpp"
#include "image/pixel_rect.hpp"

namespace pictor {

struct CropChoice {
    PixelRect crop;         // in canvas space, inside the canvas, containing `needed`
    ImageSize request_size; // the size the crop is resampled to and sent at; {0,0} = sent
                            // at the crop's own size and no size field (routes without sizes)
    bool size_field = true; // false: the route takes no size; none is sent
    double scale = 1;       // sqrt(request_size pixels / crop pixels); exactly 1 when the crop is
                            // sent at its own size (native resolution)
};

// `needed` is the region that must be inside the crop (selection bounds + grow + feather +
// context), already clamped to the canvas. Per size rule:
//  custom:  native resolution where possible: widen the crop (within the canvas, around the
//           needed region) to sides that are multiples of 16, to a ratio <= 3:1 and to at least
//           655,360 px; when the canvas is too small, upscale; when the crop is too big (edge >
//           3840 or > 8,294,400 px), downscale. request_size meets custom_size_problem() == "".
//           Among the crops that qualify, the fewest pixels (they cost money), then the aspect
//           nearest the needed region's.
//  list / presets: the allowed size whose aspect is nearest the needed region's and whose
//           resolution is the smallest that does not downscale (else the largest); the crop is
//           widened within the canvas toward that aspect so the resample does not distort, and
//           toward the size itself, so where the canvas has room the crop IS the size (scale 1:
//           a small selection is not upscaled into a blurry box).
//  none:    the crop widened toward 1:1, 3:2 or 2:3 (whichever is nearest) and, where the canvas
//           has room, to 1024x1024 / 1536x1024 / 1024x1536 (about what the model works at);
//           request_size {0,0}, size_field false, scale 1. Also for routes that send no size.
// Throws Error(invalid_argument) when the canvas is empty or `needed` misses it.
CropChoice choose_inpaint_crop(const GatewayProfile &profile, PixelRect needed, ImageSize canvas);

// "canvas" for generate/edit: the allowed size nearest the canvas's aspect, the smallest of that
// shape holding the canvas, else the largest (custom routes: the canvas itself when valid, else
// the valid size nearest its aspect at the scale that just meets the rules); none routes: {0,0}.
ImageSize choose_canvas_size(const GatewayProfile &profile, ImageSize canvas);

} // namespace pictor
