#include "image/upload_encoding.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "error.hpp"
#include "image/image_decode.hpp"
#include "image/image_encode.hpp"
#include "image/png_codec.hpp"
#include "image/resample.hpp"
#include "image/selection_mask.hpp"

namespace pictor {

namespace {

struct Step {
    ImageFormat format;
    EncodeOptions options;
    std::string name;
};

Step png_step(int level, const char *name, bool keep_alpha = false) {
    EncodeOptions o;
    o.png_zlib_level = level; // 1-3: the parallel fast encoder; above: libpng, adaptive filters
    o.keep_alpha = keep_alpha;
    return {ImageFormat::png, o, name};
}

Step jpeg_step() {
    EncodeOptions o;
    o.quality = kUploadJpegQuality;
    o.jpeg_full_chroma = true;
    return {ImageFormat::jpeg, o, "jpeg q" + std::to_string(kUploadJpegQuality) + " 4:4:4"};
}

Step webp_step(bool lossless) {
    EncodeOptions o;
    o.quality = lossless ? 100 : kUploadWebpQuality;
    return {ImageFormat::webp, o, lossless ? "webp lossless" : "webp q" + std::to_string(kUploadWebpQuality)};
}

// Fastest first; the last step is the most compact, the one a downscale uses.
std::vector<Step> ladder(bool opaque, UploadQuality quality) {
    if (quality == UploadQuality::fast)
        return {opaque ? jpeg_step() : webp_step(false)};
    return {png_step(1, "png fast"), png_step(6, "png smaller"), opaque ? jpeg_step() : webp_step(true)};
}

// A smaller PNG saves 10-25% over the fast one on photographs: not worth its ~1 s per 4K image
// when the fast one is further than that over the limit.
constexpr double kPngSmallerReach = 1.3;

// The step's bytes into `sink`; returns how many.
uint64_t encode_step(const RgbaImage &image, const Step &step, const ByteSink &sink) {
    return encode_image_to(image, step.format, step.options, sink);
}

// A sink that keeps the bytes in `bytes`.
UploadSink memory_sink(std::string &bytes) {
    return {[&bytes](const uint8_t *data, size_t size) { bytes.append(reinterpret_cast<const char *>(data), size); },
            [&bytes] { std::string().swap(bytes); }};
}

bool fits(uint64_t size, uint64_t max_bytes) { return max_bytes == 0 || size <= max_bytes; }

// The next size to try: the area scaled by what the bytes must lose, with a margin, and at
// least 10% smaller a side so the search ends.
void next_size(uint32_t &width, uint32_t &height, uint64_t bytes, uint64_t max_bytes) {
    double scale = std::min(0.9, std::sqrt(double(max_bytes) / double(bytes)) * 0.95);
    width = std::max<uint32_t>(1, uint32_t(std::lround(width * scale)));
    height = std::max<uint32_t>(1, uint32_t(std::lround(height * scale)));
}

constexpr int kMaxDownscales = 12;

[[noreturn]] void cannot_fit(uint64_t max_bytes, const char *what) {
    throw Error(ErrorKind::internal, std::string("cannot encode ") + what + " in " + std::to_string(max_bytes) +
                                         " bytes, the route's limit, even scaled down");
}

} // namespace

const char *upload_quality_name(UploadQuality quality) {
    return quality == UploadQuality::fast ? "fast" : "lossless";
}

std::optional<UploadQuality> parse_upload_quality(const std::string &name) {
    if (name == "lossless")
        return UploadQuality::lossless;
    if (name == "fast")
        return UploadQuality::fast;
    return std::nullopt;
}

EncodedUpload encode_upload_to(const RgbaImage &image, uint64_t max_bytes, UploadQuality quality,
                               const UploadSink &sink) {
    EncodedUpload out;
    out.source_width = out.width = image.width;
    out.source_height = out.height = image.height;
    const std::vector<Step> steps = ladder(all_opaque(image), quality);
    uint64_t first_size = 0, size = 0;
    for (size_t i = 0; i < steps.size(); ++i) {
        const Step &step = steps[i];
        bool last = i + 1 == steps.size();
        if (step.name == "png smaller" && first_size > max_bytes * kPngSmallerReach)
            continue;
        sink.clear();
        size = encode_step(image, step, sink.write);
        out.format = step.format;
        out.encoding = step.name;
        if (i == 0)
            first_size = size;
        if (fits(size, max_bytes) || last)
            break;
    }
    // Nothing fits at full size: the most compact encoding, at smaller sizes.
    uint32_t width = image.width, height = image.height;
    for (int k = 0; !fits(size, max_bytes); ++k) {
        if (k == kMaxDownscales || (width == 1 && height == 1))
            cannot_fit(max_bytes, "the image");
        next_size(width, height, size, max_bytes);
        sink.clear();
        size = encode_step(resize_rgba(image, width, height), steps.back(), sink.write);
        out.width = width;
        out.height = height;
    }
    return out;
}

EncodedUpload encode_upload(const RgbaImage &image, uint64_t max_bytes, UploadQuality quality) {
    std::string bytes;
    EncodedUpload out = encode_upload_to(image, max_bytes, quality, memory_sink(bytes));
    out.bytes = std::move(bytes);
    return out;
}

EncodedWithMask encode_upload_with_mask(const RgbaImage &image, const GrayImage &coverage,
                                        uint64_t max_image_bytes, uint64_t max_mask_bytes,
                                        UploadQuality quality) {
    if (coverage.width != image.width || coverage.height != image.height)
        throw Error(ErrorKind::internal, "the mask's coverage is not the size of the image it goes with");
    EncodedWithMask out;
    out.image = encode_upload(image, max_image_bytes, quality);
    for (int k = 0;; ++k) {
        const uint32_t width = out.image.width, height = out.image.height;
        GrayImage scaled = out.image.downscaled() ? resize_gray(coverage, width, height) : coverage;
        RgbaImage mask = edit_mask_from_coverage(scaled);
        // Always PNG with alpha (the API's rule for masks), at exactly the image's size.
        for (const Step &step : {png_step(1, "png fast", true), png_step(9, "png smaller", true)}) {
            const UploadSink sink = memory_sink(out.mask.bytes);
            sink.clear();
            encode_step(mask, step, sink.write);
            out.mask.encoding = step.name;
            if (fits(out.mask.bytes.size(), max_mask_bytes))
                break;
        }
        out.mask.format = ImageFormat::png;
        out.mask.width = width;
        out.mask.height = height;
        out.mask.source_width = coverage.width;
        out.mask.source_height = coverage.height;
        if (fits(out.mask.bytes.size(), max_mask_bytes))
            return out;
        if (k == kMaxDownscales || (width == 1 && height == 1))
            cannot_fit(max_mask_bytes, "the mask");
        // The mask alone is too big (a very busy selection): both go smaller, together.
        uint32_t w = width, h = height;
        next_size(w, h, out.mask.bytes.size(), max_mask_bytes);
        out.image = encode_upload(resize_rgba(image, w, h), max_image_bytes, quality);
        out.image.source_width = image.width;
        out.image.source_height = image.height;
    }
}

EncodedUpload reencode_upload(const std::string &encoded, uint64_t max_bytes, UploadQuality quality) {
    RgbaImage pixels = decode_image(reinterpret_cast<const uint8_t *>(encoded.data()), encoded.size());
    return encode_upload(pixels, max_bytes, quality);
}

} // namespace pictor
