// From a host's selection to the mask that is sent and the one that composites the result:
// grow (dilate), feather (soften outward), bounds. Soft selections stay soft.
#pragma once

#include "image/gray_image.hpp"
#include "image/pixel_rect.hpp"
#include "image/rgba_image.hpp"

namespace pictor {

// The bounds of the non-zero pixels; empty when nothing is selected.
PixelRect coverage_bounds(const GrayImage &coverage);

// Dilates by `px` pixels with a round (disk) structuring element: a pixel becomes the maximum
// of the coverage within distance px (dx^2 + dy^2 <= px^2, exactly; pixels beyond the image
// count as unselected). px <= 0 returns the input unchanged.
GrayImage grow_coverage(const GrayImage &coverage, int px);

// Softens the edge outward by `px` pixels: every pixel keeps at least its own coverage (what
// was fully selected stays 255), and coverage falls smoothly from the edge to 0 at distance
// px outside it (a blur, e.g. separable box passes approximating a Gaussian, combined with
// max(original, blurred) so the inside does not shrink). Pixels farther than px from any
// selected pixel stay exactly 0. px <= 0 returns the input unchanged.
// How: grow by px/2 with the disk, three box blurs (running sums) whose radii add up to the
// rest, max with the input, then cut to the disk-grown support. At the image's edges the blur
// repeats the edge pixels, so a selection touching an edge is not faded along it.
// Work and memory are proportional to the selection's bounds plus px, not to the image.
GrayImage feather_coverage(const GrayImage &coverage, int px);

// The mask sent with an edit: RGBA, every pixel white, alpha = 255 - coverage (alpha 0 = repaint).
RgbaImage edit_mask_from_coverage(const GrayImage &coverage);

// How far grow + feather can reach beyond the selection's bounds; the margin a caller must read
// around the bounds so the result is exact.
inline int selection_reach(int grow_px, int feather_px) {
    return (grow_px > 0 ? grow_px : 0) + (feather_px > 0 ? feather_px : 0) + 1;
}

} // namespace pictor
