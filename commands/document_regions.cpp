#include "document_regions.hpp"

#include <cstring>

#include "error.hpp"

namespace pictor::plugin {

RgbaImage read_layer_over(HostDocument &document, int32_t layer, const LayerInfo &info, PixelRect rect) {
    RgbaImage out;
    out.width = uint32_t(rect.width);
    out.height = uint32_t(rect.height);
    out.pixels.assign(out.stride() * out.height, 0);
    PixelRect overlap = rect.intersect(info.canvas_rect());
    if (overlap.empty())
        return out;
    PixelRect in_layer{overlap.x - info.offset_x, overlap.y - info.offset_y, overlap.width, overlap.height};
    RgbaImage part = document.read_layer(layer, in_layer);
    if (part.width != uint32_t(overlap.width) || part.height != uint32_t(overlap.height))
        throw Error(ErrorKind::internal, "the host document returned a layer region of the wrong size");
    for (int32_t row = 0; row < overlap.height; ++row)
        std::memcpy(out.pixels.data() + size_t(overlap.y - rect.y + row) * out.stride() + size_t(overlap.x - rect.x) * 4,
                    part.pixels.data() + size_t(row) * part.stride(), part.stride());
    return out;
}

SelectionArea read_selection_around(HostDocument &document, ImageSize canvas, PixelRect bounds, int margin) {
    SelectionArea area;
    area.rect = bounds.inflate(margin).intersect(canvas_rect(canvas));
    if (area.rect.empty())
        return area;
    area.coverage = document.read_selection(area.rect);
    if (area.coverage.width != uint32_t(area.rect.width) || area.coverage.height != uint32_t(area.rect.height))
        throw Error(ErrorKind::internal, "the host document returned a selection region of the wrong size");
    return area;
}

GrayImage place_gray(const GrayImage &part, int32_t x, int32_t y, uint32_t width, uint32_t height) {
    GrayImage out;
    out.width = width;
    out.height = height;
    out.pixels.assign(size_t(width) * height, 0);
    PixelRect target = PixelRect{x, y, int32_t(part.width), int32_t(part.height)}.intersect(
        {0, 0, int32_t(width), int32_t(height)});
    for (int32_t row = 0; row < target.height; ++row)
        std::memcpy(out.pixels.data() + size_t(target.y + row) * width + size_t(target.x),
                    part.pixels.data() + size_t(target.y + row - y) * part.width + size_t(target.x - x),
                    size_t(target.width));
    return out;
}

} // namespace pictor::plugin
