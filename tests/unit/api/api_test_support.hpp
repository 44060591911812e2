// Shared by the api tests: the shipped profiles, small encoded images, catching pictor::Error.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "api/gateway_profile.hpp"
#include "api/image_request.hpp"
#include "error.hpp"
#include "image/image_encode.hpp"
#include "image/rgba_image.hpp"

namespace pictor::apitest {

inline const std::string &profiles_dir() {
    static const std::string dir = PICTOR_PROFILES_DIR;
    return dir;
}

// A shipped profile, read through the catalog exactly as a host would.
inline GatewayProfile shipped(const std::string &name) {
    return ProfileCatalog({profiles_dir()}).find(name);
}

inline const std::vector<std::string> &shipped_names() {
    static const std::vector<std::string> names{"apiyi",  "apiyi-all",         "apiyi-vip",   "laozhang",
                                                "laozhang-official", "laozhang-vip", "openai", "ruoli"};
    return names;
}

// Runs f and returns the pictor::Error it throws (or fails the test if it throws none).
template <typename F> Error catch_error(F &&f) {
    try {
        std::forward<F>(f)();
    } catch (const Error &e) {
        return e;
    }
    ADD_FAILURE() << "expected a pictor::Error, none was thrown";
    return Error(ErrorKind::internal, "<no error thrown>");
}

#define EXPECT_KIND(error, expected_kind)                                                          \
    EXPECT_STREQ(::pictor::error_kind_name((error).kind()), ::pictor::error_kind_name(expected_kind)) \
        << (error).what()

inline RgbaImage solid(uint32_t width, uint32_t height, uint8_t alpha = 0xff) {
    RgbaImage image;
    image.width = width;
    image.height = height;
    image.pixels.resize(image.stride() * height);
    for (size_t i = 0; i < image.pixels.size(); i += 4) {
        image.pixels[i] = uint8_t(i * 7);
        image.pixels[i + 1] = uint8_t(i * 3);
        image.pixels[i + 2] = 0x40;
        image.pixels[i + 3] = alpha;
    }
    return image;
}

inline std::string encoded(const RgbaImage &image, ImageFormat format, bool keep_alpha = false) {
    EncodeOptions options;
    options.keep_alpha = keep_alpha;
    std::vector<uint8_t> bytes = encode_image(image, format, options);
    return std::string(bytes.begin(), bytes.end());
}

inline std::string png(uint32_t w = 16, uint32_t h = 16) { return encoded(solid(w, h), ImageFormat::png); }
inline std::string jpeg(uint32_t w = 16, uint32_t h = 16) { return encoded(solid(w, h), ImageFormat::jpeg); }
inline std::string webp(uint32_t w = 16, uint32_t h = 16) { return encoded(solid(w, h), ImageFormat::webp); }
// A mask: RGBA PNG, left half transparent (repaint), right half opaque (keep).
inline std::string mask_png(uint32_t w = 16, uint32_t h = 16) {
    RgbaImage image = solid(w, h);
    for (uint32_t y = 0; y < h; ++y)
        for (uint32_t x = 0; x < w / 2; ++x)
            image.pixels[y * image.stride() + x * 4 + 3] = 0;
    return encoded(image, ImageFormat::png, true);
}

// An input part as pictor's own encoder leaves it: in a spool file, not in memory.
inline InputImage spooled(const std::string &bytes, const std::string &filename) {
    InputImage image;
    image.filename = filename;
    image.spool = net::PartSpool::create();
    image.spool->append(bytes.data(), bytes.size());
    image.spool->seal();
    return image;
}

} // namespace pictor::apitest
