#include "image/resample.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "error.hpp"

namespace pictor {

namespace {

// Catmull-Rom: a cubic that passes through the samples (sharp, little ringing), support 2.
float catmull_rom(float x) {
    x = std::fabs(x);
    if (x < 1.0f)
        return (1.5f * x - 2.5f) * x * x + 1.0f;
    if (x < 2.0f)
        return ((-0.5f * x + 2.5f) * x - 4.0f) * x + 2.0f;
    return 0.0f;
}

// For each output sample: the first input sample it reads and the weights of the ones after
// it. Computed once per axis. Downscaling stretches the kernel by the scale factor so every
// input pixel contributes (no aliasing); samples past the edges are left out and the weights
// renormalized, which is the same as clamping without biasing toward the edge pixel.
struct AxisWeights {
    std::vector<int> first;
    std::vector<int> count;
    std::vector<float> weights; // count[i] weights for output i, starting at offset[i]
    std::vector<size_t> offset;
    int max_count = 0;
};

AxisWeights axis_weights(uint32_t in_size, uint32_t out_size) {
    AxisWeights axis;
    axis.first.resize(out_size);
    axis.count.resize(out_size);
    axis.offset.resize(out_size);
    const double scale = double(out_size) / in_size;
    const double stretch = scale < 1 ? 1 / scale : 1; // kernel width in input pixels per unit
    const double support = 2 * stretch;
    for (uint32_t i = 0; i < out_size; ++i) {
        const double center = (i + 0.5) / scale - 0.5;
        int left = std::max(0, int(std::ceil(center - support)));
        int right = std::min(int(in_size) - 1, int(std::floor(center + support)));
        std::vector<float> w;
        double total = 0;
        for (int j = left; j <= right; ++j) {
            float k = catmull_rom(float((j - center) / stretch));
            w.push_back(k);
            total += k;
        }
        // Trim zero weights at both ends (integer centres at scale 1 give 0, 1, 0).
        size_t lo = 0, hi = w.size();
        while (lo < hi && w[lo] == 0.0f)
            ++lo;
        while (hi > lo && w[hi - 1] == 0.0f)
            --hi;
        if (lo == hi || total == 0) { // cannot happen with a positive-sum kernel; stay safe
            int nearest = std::clamp(int(std::lround(center)), 0, int(in_size) - 1);
            w.assign(1, 1.0f);
            lo = 0;
            hi = 1;
            left = nearest;
            total = 1;
        }
        axis.first[i] = left + int(lo);
        axis.count[i] = int(hi - lo);
        axis.offset[i] = axis.weights.size();
        for (size_t j = lo; j < hi; ++j)
            axis.weights.push_back(float(w[j] / total));
        axis.max_count = std::max(axis.max_count, axis.count[i]);
    }
    return axis;
}

uint8_t to_byte(float v) {
    if (!(v > 0.0f))
        return 0;
    if (v >= 255.0f)
        return 255;
    return uint8_t(v + 0.5f);
}

// The separable resample of an 8-bit image with `channels` interleaved channels. With
// `premultiply` (RGBA) the colour is weighted by alpha before filtering and divided by the
// filtered alpha after, so transparent pixels do not bleed their colour. Rows are filtered
// horizontally on demand into a small ring (as many rows as the vertical filter reads), so
// memory stays a few rows whatever the image size.
template <int channels, bool premultiply>
void resample(const uint8_t *in, uint32_t in_w, uint32_t in_h, uint8_t *out, uint32_t out_w, uint32_t out_h) {
    const AxisWeights horizontal = axis_weights(in_w, out_w);
    const AxisWeights vertical = axis_weights(in_h, out_h);
    const size_t row_floats = size_t(out_w) * channels;
    const int ring_size = vertical.max_count;
    std::vector<float> ring(size_t(ring_size) * row_floats);
    std::vector<int> ring_row(size_t(ring_size), -1);
    std::vector<float> source(size_t(in_w) * channels);
    std::vector<float> accum(row_floats);

    auto filter_row = [&](int y, float *dst) {
        const uint8_t *src = in + size_t(y) * in_w * channels;
        for (uint32_t x = 0; x < in_w; ++x) {
            if (premultiply) {
                const float alpha = src[x * 4 + 3] * (1.0f / 255.0f);
                source[x * 4 + 0] = src[x * 4 + 0] * alpha;
                source[x * 4 + 1] = src[x * 4 + 1] * alpha;
                source[x * 4 + 2] = src[x * 4 + 2] * alpha;
                source[x * 4 + 3] = src[x * 4 + 3];
            } else {
                for (int c = 0; c < channels; ++c)
                    source[x * channels + c] = src[x * channels + c];
            }
        }
        for (uint32_t x = 0; x < out_w; ++x) {
            const float *w = &horizontal.weights[horizontal.offset[x]];
            const float *s = &source[size_t(horizontal.first[x]) * channels];
            float sum[channels] = {};
            for (int k = 0; k < horizontal.count[x]; ++k)
                for (int c = 0; c < channels; ++c)
                    sum[c] += w[k] * s[k * channels + c];
            for (int c = 0; c < channels; ++c)
                dst[x * channels + c] = sum[c];
        }
    };

    for (uint32_t y = 0; y < out_h; ++y) {
        std::fill(accum.begin(), accum.end(), 0.0f);
        const float *w = &vertical.weights[vertical.offset[y]];
        for (int k = 0; k < vertical.count[y]; ++k) {
            const int row = vertical.first[y] + k;
            const int slot = row % ring_size; // a window's rows are consecutive: no two share a slot
            float *filtered = &ring[size_t(slot) * row_floats];
            if (ring_row[size_t(slot)] != row) {
                filter_row(row, filtered);
                ring_row[size_t(slot)] = row;
            }
            const float weight = w[k];
            for (size_t i = 0; i < row_floats; ++i)
                accum[i] += weight * filtered[i];
        }
        uint8_t *dst = out + size_t(y) * out_w * channels;
        for (uint32_t x = 0; x < out_w; ++x) {
            const float *p = &accum[size_t(x) * channels];
            if (premultiply) {
                const float alpha = std::clamp(p[3], 0.0f, 255.0f);
                const uint8_t a = to_byte(alpha);
                if (a == 0) {
                    dst[x * 4 + 0] = dst[x * 4 + 1] = dst[x * 4 + 2] = dst[x * 4 + 3] = 0;
                    continue;
                }
                const float unpremultiply = 255.0f / alpha;
                dst[x * 4 + 0] = to_byte(p[0] * unpremultiply);
                dst[x * 4 + 1] = to_byte(p[1] * unpremultiply);
                dst[x * 4 + 2] = to_byte(p[2] * unpremultiply);
                dst[x * 4 + 3] = a;
            } else {
                for (int c = 0; c < channels; ++c)
                    dst[x * channels + c] = to_byte(p[c]);
            }
        }
    }
}

void check_target(uint32_t in_w, uint32_t in_h, uint32_t width, uint32_t height) {
    if (in_w == 0 || in_h == 0 || width == 0 || height == 0)
        throw Error(ErrorKind::invalid_argument,
                    "cannot resize " + std::to_string(in_w) + "x" + std::to_string(in_h) + " to " +
                        std::to_string(width) + "x" + std::to_string(height) +
                        ": both sizes must be at least 1x1");
}

void check_crop(uint32_t image_w, uint32_t image_h, int32_t x, int32_t y, uint32_t width, uint32_t height) {
    if (x < 0 || y < 0 || width == 0 || height == 0 || uint64_t(x) + width > image_w ||
        uint64_t(y) + height > image_h)
        throw Error(ErrorKind::invalid_argument,
                    "the crop " + std::to_string(width) + "x" + std::to_string(height) + " at (" +
                        std::to_string(x) + "," + std::to_string(y) + ") does not lie inside the " +
                        std::to_string(image_w) + "x" + std::to_string(image_h) +
                        " image; clamp the rectangle to the image first");
}

template <typename Image>
Image crop_channels(const Image &image, int channels, int32_t x, int32_t y, uint32_t width, uint32_t height) {
    check_crop(image.width, image.height, x, y, width, height);
    Image out;
    out.width = width;
    out.height = height;
    out.pixels.resize(size_t(width) * height * size_t(channels));
    const size_t row_bytes = size_t(width) * size_t(channels);
    for (uint32_t row = 0; row < height; ++row) {
        const uint8_t *src = &image.pixels[(size_t(y) + row) * image.stride() + size_t(x) * size_t(channels)];
        std::copy(src, src + row_bytes, &out.pixels[size_t(row) * row_bytes]);
    }
    return out;
}

// Either image type: RGBA (4 channels, premultiplied while filtering) or gray (1).
template <class Image, int channels, bool premultiply>
Image resized(const Image &image, uint32_t width, uint32_t height) {
    check_target(image.width, image.height, width, height);
    if (image.width == width && image.height == height)
        return image;
    Image out;
    out.width = width;
    out.height = height;
    out.pixels.resize(out.stride() * height);
    resample<channels, premultiply>(image.pixels.data(), image.width, image.height, out.pixels.data(), width,
                                    height);
    return out;
}

} // namespace

RgbaImage resize_rgba(const RgbaImage &image, uint32_t width, uint32_t height) {
    return resized<RgbaImage, 4, true>(image, width, height);
}

GrayImage resize_gray(const GrayImage &image, uint32_t width, uint32_t height) {
    return resized<GrayImage, 1, false>(image, width, height);
}

RgbaImage crop_rgba(const RgbaImage &image, int32_t x, int32_t y, uint32_t width, uint32_t height) {
    return crop_channels(image, 4, x, y, width, height);
}

GrayImage crop_gray(const GrayImage &image, int32_t x, int32_t y, uint32_t width, uint32_t height) {
    return crop_channels(image, 1, x, y, width, height);
}

} // namespace pictor
