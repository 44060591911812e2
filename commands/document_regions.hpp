// Reading regions of a host document in canvas space: a layer's pixels over any canvas
// rectangle (transparent where the layer does not reach), and the selection around its bounds.
#pragma once

#include "host_document.hpp"

namespace pictor::plugin {

inline PixelRect canvas_rect(ImageSize canvas) { return {0, 0, int32_t(canvas.width), int32_t(canvas.height)}; }

// `rect` in canvas space; the result is rect-sized. Parts outside the layer are transparent
// black (0,0,0,0); only the part inside the layer is asked from the host.
RgbaImage read_layer_over(HostDocument &document, int32_t layer, const LayerInfo &info, PixelRect rect);

// The selection's coverage over its bounds widened by `margin`, clamped to the canvas.
struct SelectionArea {
    PixelRect rect;     // canvas space
    GrayImage coverage; // rect-sized
};
SelectionArea read_selection_around(HostDocument &document, ImageSize canvas, PixelRect bounds, int margin);

// `part` placed at (x, y) of a zeroed width x height image (part may hang over its edges).
GrayImage place_gray(const GrayImage &part, int32_t x, int32_t y, uint32_t width, uint32_t height);

} // namespace pictor::plugin
