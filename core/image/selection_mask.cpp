#include "image/selection_mask.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

namespace pictor {

namespace {

// The bounds of the non-zero pixels, grown by `margin` and clamped to the image: nothing outside
// them can change, so the work (and a 4K canvas with a small selection) stays proportional to
// the selection, not the canvas.
PixelRect working_rect(const GrayImage &coverage, int margin) {
    PixelRect bounds = coverage_bounds(coverage);
    if (bounds.empty())
        return bounds;
    PixelRect image{0, 0, int32_t(coverage.width), int32_t(coverage.height)};
    return bounds.inflate(margin).intersect(image);
}

// The half-width of the disk of radius r at vertical offset dy: the largest dx with
// dx^2 + dy^2 <= r^2 (computed in integers, so the disk is exact).
int disk_half_width(int r, int dy) {
    int64_t left = int64_t(r) * r - int64_t(dy) * dy;
    int w = int(std::sqrt(double(left)));
    while (int64_t(w + 1) * (w + 1) <= left)
        ++w;
    while (int64_t(w) * w > left)
        --w;
    return w;
}

// Grayscale dilation with the exact disk of radius r, inside `rect` only (the rest stays as in
// `out`, which starts as a copy of the input). The disk is a stack of horizontal runs, one per
// row offset dy with half-width w(dy). Every source row is widened to each half-width in turn
// (for w >= 2 a run of half-width w is the max of two runs of half-width w-1 shifted by one
// pixel each way) and max-ed into the output rows it reaches. Cost: rows * (3r + 1) passes of
// byte-wise max over the rect's width, which the compiler vectorizes (hence the restrict
// pointers: byte stores may otherwise alias anything).
void widen_run_by_one(uint8_t *__restrict next, const uint8_t *__restrict run, int width, bool with_centre) {
    if (with_centre) {
        for (int x = 0; x < width; ++x)
            next[x + 1] = std::max(std::max(run[x], run[x + 1]), run[x + 2]);
    } else { // [x-w, x+w-2] and [x-w+2, x+w] together cover [x-w, x+w] once w >= 2
        for (int x = 0; x < width; ++x)
            next[x + 1] = std::max(run[x], run[x + 2]);
    }
}

void max_into(uint8_t *__restrict dst, const uint8_t *__restrict src, int width) {
    for (int x = 0; x < width; ++x)
        dst[x] = std::max(dst[x], src[x]);
}

void dilate_disk(const GrayImage &in, GrayImage &out, PixelRect rect, int r) {
    const int width = rect.width;
    // rows_by_half_width[w]: the offsets dy whose run has half-width w.
    std::vector<std::vector<int>> rows_by_half_width(size_t(r) + 1);
    for (int dy = -r; dy <= r; ++dy)
        rows_by_half_width[size_t(disk_half_width(r, dy))].push_back(dy);

    std::vector<uint8_t> run(size_t(width) + 2, 0), next(size_t(width) + 2, 0);
    for (int sy = rect.y; sy < rect.bottom(); ++sy) {
        const uint8_t *src = &in.pixels[size_t(sy) * in.stride() + size_t(rect.x)];
        bool any = false;
        for (int x = 0; x < width && !any; ++x)
            any = src[x] != 0;
        if (!any)
            continue; // a row of zeros raises nothing
        // run[1 + x] holds the max over [x - w, x + w]; run[0] and run[width + 1] are 0 guards
        // (outside the rect is only zeros reachable from no selected pixel, or beyond the image).
        std::memcpy(&run[1], src, size_t(width));
        for (int w = 0; w <= r; ++w) {
            if (w > 0) {
                widen_run_by_one(next.data(), run.data(), width, w == 1);
                std::swap(run, next);
                run[0] = 0;
                run[size_t(width) + 1] = 0;
            }
            for (int dy : rows_by_half_width[size_t(w)]) {
                int oy = sy - dy;
                if (oy >= rect.y && oy < rect.bottom())
                    max_into(&out.pixels[size_t(oy) * out.stride() + size_t(rect.x)], run.data() + 1, width);
            }
        }
    }
}

// One box blur pass of radius r along rows over the rect, on 16-bit values. Beyond the rect's
// sides the edge value repeats: at the image's edge that is a selection going on past it (so a
// selection touching the edge is not faded there); at the rect's inner sides it is 0 anyway.
// Running sums: O(1) per pixel whatever r.
void box_blur_rows(std::vector<uint16_t> &plane, int width, int height, int r) {
    if (r <= 0)
        return;
    const float reciprocal = 1.0f / float(2 * r + 1);
    // The row with r + 1 copies of its edge values on each side: padded[x + r + 1] = row[x].
    std::vector<uint16_t> padded(size_t(width) + 2 * size_t(r) + 2);
    for (int y = 0; y < height; ++y) {
        uint16_t *p = &plane[size_t(y) * size_t(width)];
        std::fill(padded.begin(), padded.begin() + r + 1, p[0]);
        std::memcpy(&padded[size_t(r) + 1], p, size_t(width) * sizeof(uint16_t));
        std::fill(padded.end() - r - 1, padded.end(), p[width - 1]);
        uint32_t sum = 0;
        for (int i = 0; i < 2 * r + 1; ++i) // the window of x = -1; the loop below slides it
            sum += padded[size_t(i)];
        const uint16_t *leaving = padded.data(), *entering = padded.data() + 2 * r + 1;
        for (int x = 0; x < width; ++x) {
            sum += uint32_t(entering[x]) - uint32_t(leaving[x]);
            p[x] = uint16_t(std::min(float(sum) * reciprocal + 0.5f, 65535.0f));
        }
    }
}

// One row of the column pass: every column's sum gains the row entering the window and loses
// the one leaving it.
void slide_column_sums(int32_t *__restrict sums, const uint16_t *added, const uint16_t *removed,
                       uint16_t *__restrict out, int width, float reciprocal) {
    for (int x = 0; x < width; ++x) {
        sums[x] += int32_t(added[x]) - int32_t(removed[x]);
        out[x] = uint16_t(std::min(float(sums[x]) * reciprocal + 0.5f, 65535.0f));
    }
}

// The same along columns; the running sums are kept per column so the loops walk rows
// (cache-friendly, vectorizable).
void box_blur_columns(std::vector<uint16_t> &plane, int width, int height, int r) {
    if (r <= 0)
        return;
    const float reciprocal = 1.0f / float(2 * r + 1);
    std::vector<int32_t> sums(size_t(width), 0);
    const std::vector<uint16_t> source = plane;
    auto row_of = [&](int y) { return &source[size_t(std::clamp(y, 0, height - 1)) * size_t(width)]; };
    for (int y = -r - 1; y < r; ++y) {
        const uint16_t *s = row_of(y);
        for (int x = 0; x < width; ++x)
            sums[size_t(x)] += s[x];
    }
    for (int y = 0; y < height; ++y) {
        const uint16_t *added = row_of(y + r), *removed = row_of(y - r - 1);
        slide_column_sums(sums.data(), added, removed, &plane[size_t(y) * size_t(width)], width, reciprocal);
    }
}

} // namespace

PixelRect coverage_bounds(const GrayImage &coverage) {
    int32_t left = int32_t(coverage.width), right = -1, top = -1, bottom = -1;
    for (uint32_t y = 0; y < coverage.height; ++y) {
        const uint8_t *row = &coverage.pixels[size_t(y) * coverage.stride()];
        uint32_t first = 0;
        while (first < coverage.width && row[first] == 0)
            ++first;
        if (first == coverage.width)
            continue;
        uint32_t last = coverage.width - 1;
        while (row[last] == 0)
            --last;
        if (top < 0)
            top = int32_t(y);
        bottom = int32_t(y);
        left = std::min(left, int32_t(first));
        right = std::max(right, int32_t(last));
    }
    if (top < 0)
        return {};
    return {left, top, right - left + 1, bottom - top + 1};
}

// Past the image's diagonal a larger disk reaches nothing new; the cap bounds the work (and
// keeps the blur's 32-bit running sums from overflowing).
static int capped_radius(const GrayImage &image, int px) {
    return int(std::min<int64_t>({px, int64_t(image.width) + image.height, 30000}));
}

// What a grow or feather by px works on (px capped); empty when it changes nothing.
static PixelRect work_area(const GrayImage &coverage, int &px) {
    if (px <= 0 || coverage.empty())
        return {};
    px = capped_radius(coverage, px);
    return working_rect(coverage, px);
}

GrayImage grow_coverage(const GrayImage &coverage, int px) {
    GrayImage out = coverage;
    const PixelRect rect = work_area(coverage, px);
    if (!rect.empty())
        dilate_disk(coverage, out, rect, px);
    return out;
}

// Grow by half of px with the disk, then blur with three box passes whose radii add up to the
// other half (a close approximation of a Gaussian): the blurred edge runs from ~255 at the
// selection's edge to 0 at px outside it, with no step. max(original, blurred) keeps the inside
// (and soft values) from shrinking, and a final cut to the disk-grown support of the selection
// keeps everything farther than px exactly 0 (box corners reach a little beyond a disk).
GrayImage feather_coverage(const GrayImage &coverage, int px) {
    GrayImage out = coverage;
    const PixelRect rect = work_area(coverage, px);
    if (rect.empty())
        return out;

    const int grow_px = px / 2, blur_px = px - grow_px;
    GrayImage grown = grow_px > 0 ? grow_coverage(coverage, grow_px) : coverage;

    // The support: pixels within distance px of a selected pixel (the grown selection's non-zero
    // pixels, grown by the blur's reach: a sum of two disks lies inside the disk of px).
    GrayImage support = grown;
    for (uint8_t &v : support.pixels)
        v = v ? 255 : 0;
    support = grow_coverage(support, blur_px);

    // Work in 16 bits (255 -> 65535) on the rect so the six rounding steps stay below 1/255.
    const int w = rect.width, h = rect.height;
    std::vector<uint16_t> plane(size_t(w) * size_t(h));
    for (int y = 0; y < h; ++y) {
        const uint8_t *src = &grown.pixels[size_t(rect.y + y) * grown.stride() + size_t(rect.x)];
        uint16_t *dst = &plane[size_t(y) * size_t(w)];
        for (int x = 0; x < w; ++x)
            dst[x] = uint16_t(src[x] * 257);
    }
    // Three radii adding up to blur_px, as equal as integers allow.
    int radii[3] = {blur_px / 3, blur_px / 3, blur_px / 3};
    for (int i = 0; i < blur_px % 3; ++i)
        ++radii[i];
    for (int r : radii) {
        box_blur_rows(plane, w, h, r);
        box_blur_columns(plane, w, h, r);
    }
    for (int y = 0; y < h; ++y) {
        size_t base = size_t(rect.y + y) * out.stride() + size_t(rect.x);
        const uint16_t *blurred = &plane[size_t(y) * size_t(w)];
        for (int x = 0; x < w; ++x) {
            uint8_t b = uint8_t((uint32_t(blurred[x]) * 255 + 32767) / 65535);
            uint8_t v = std::max(coverage.pixels[base + size_t(x)], b);
            out.pixels[base + size_t(x)] = support.pixels[base + size_t(x)] ? v : 0;
        }
    }
    return out;
}

RgbaImage edit_mask_from_coverage(const GrayImage &coverage) {
    RgbaImage mask;
    mask.width = coverage.width;
    mask.height = coverage.height;
    mask.pixels.resize(mask.stride() * mask.height);
    const size_t count = size_t(coverage.width) * coverage.height;
    for (size_t i = 0; i < count; ++i) {
        mask.pixels[i * 4 + 0] = 255;
        mask.pixels[i * 4 + 1] = 255;
        mask.pixels[i * 4 + 2] = 255;
        mask.pixels[i * 4 + 3] = uint8_t(255 - coverage.pixels[i]);
    }
    return mask;
}

} // namespace pictor
