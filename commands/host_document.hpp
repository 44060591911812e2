// What a command reads from a host's document, in the core's terms: the canvas size, a layer's
// extent and pixels, the selection's extent and coverage. The C ABI adapts a pictor_host table
// to this; tests and other C++ hosts may implement it directly. Every call happens inside
// job start, on the host's thread (see pictor.h, "the host seam").
#pragma once

#include <cstdint>
#include <string>

#include "api/size_rules.hpp"
#include "image/gray_image.hpp"
#include "image/pixel_rect.hpp"
#include "image/rgba_image.hpp"

namespace pictor::plugin {

struct LayerInfo {
    uint32_t width = 0, height = 0;
    int32_t offset_x = 0, offset_y = 0; // top-left corner in canvas space
    std::string name;

    PixelRect canvas_rect() const { return {offset_x, offset_y, int32_t(width), int32_t(height)}; }
};

struct SelectionInfo {
    bool empty = true;
    PixelRect bounds; // canvas space, non-zero coverage only
};

// Each method throws pictor::Error (kind io) when the host reports a failure.
class HostDocument {
public:
    virtual ~HostDocument() = default;

    virtual ImageSize canvas_size() = 0;
    virtual LayerInfo describe_layer(int32_t layer) = 0;
    // The rectangle, in LAYER space and inside the layer, as RGBA8 straight alpha.
    virtual RgbaImage read_layer(int32_t layer, PixelRect rect) = 0;
    // false: the host has no notion of a selection (nothing can be selected).
    virtual bool has_selection() = 0;
    virtual SelectionInfo describe_selection() = 0;
    // The coverage of the rectangle, in CANVAS space and inside the canvas.
    virtual GrayImage read_selection(PixelRect rect) = 0;
};

} // namespace pictor::plugin
