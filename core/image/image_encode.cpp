#include "image/image_encode.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <string>
#include <system_error>
#include <thread>

#include "error.hpp"
#include "image/jpeg_codec.hpp"
#include "image/png_codec.hpp"
#include "image/webp_codec.hpp"

namespace pictor {

void check_lossy_encode(const char *name, const RgbaImage &image, int quality, uint32_t max_side,
                        const char *quality_note) {
    if (quality < 0 || quality > 100)
        throw Error(ErrorKind::invalid_argument, std::string(name) + ": quality " + std::to_string(quality) +
                                                     " is out of range — use 0 to 100" + quality_note);
    if (image.width > max_side || image.height > max_side)
        throw Error(ErrorKind::invalid_argument,
                    std::string(name) + ": the image is " + std::to_string(image.width) + "x" +
                        std::to_string(image.height) + ", over " + name + "'s limit of " +
                        std::to_string(max_side) + " pixels a side — use PNG or scale it down");
}

namespace {

void check_encode_input(const RgbaImage &image, ImageFormat format) {
    if (format == ImageFormat::unknown)
        throw Error(ErrorKind::invalid_argument,
                    "encode_image: no output format given — choose PNG, JPEG or WebP");
    if (image.empty())
        throw Error(ErrorKind::invalid_argument, "encode_image: the image is empty (" +
                                                     std::to_string(image.width) + "x" +
                                                     std::to_string(image.height) + ")");
    const uint64_t expected = uint64_t(image.width) * image.height * 4;
    if (image.pixels.size() != expected)
        throw Error(ErrorKind::invalid_argument,
                    "encode_image: a " + std::to_string(image.width) + "x" +
                        std::to_string(image.height) + " RGBA image needs " +
                        std::to_string(expected) + " bytes of pixels, not " +
                        std::to_string(image.pixels.size()));
}

} // namespace

std::vector<uint8_t> encode_image(const RgbaImage &image, ImageFormat format,
                                  const EncodeOptions &options) {
    check_encode_input(image, format);
    switch (format) {
    case ImageFormat::png: return png_encode(image, options);
    case ImageFormat::jpeg: return jpeg_encode(image, options);
    case ImageFormat::webp: return webp_encode(image, options);
    case ImageFormat::unknown: break;
    }
    throw Error(ErrorKind::internal, "encode_image: unhandled image format");
}

uint64_t encode_image_to(const RgbaImage &image, ImageFormat format, const EncodeOptions &options,
                         const ByteSink &sink) {
    check_encode_input(image, format);
    if (format == ImageFormat::png)
        return png_encode_to(image, options, sink);
    const std::vector<uint8_t> bytes = encode_image(image, format, options);
    sink(bytes.data(), bytes.size());
    return bytes.size();
}

std::vector<std::vector<uint8_t>> encode_images(const std::vector<const RgbaImage *> &images,
                                                ImageFormat format, const EncodeOptions &options) {
    std::vector<std::vector<uint8_t>> encoded(images.size());
    std::vector<std::exception_ptr> failures(images.size());
    std::atomic<size_t> next{0};
    auto work = [&] {
        for (size_t i = next++; i < images.size(); i = next++) {
            try {
                if (!images[i]) throw Error(ErrorKind::invalid_argument, "encode_images: image " +
                                                                             std::to_string(i) + " is NULL");
                encoded[i] = encode_image(*images[i], format, options);
            } catch (...) {
                failures[i] = std::current_exception();
            }
        }
    };
    const size_t threads = std::min<size_t>(images.size(), std::max(1u, std::thread::hardware_concurrency()));
    std::vector<std::thread> pool;
    for (size_t t = 1; t < threads; ++t) {
        try {
            pool.emplace_back(work);
        } catch (const std::system_error &) {
            break; // no more threads: the rest is done on this one
        }
    }
    work();
    for (auto &thread : pool) thread.join();
    for (auto &failure : failures)
        if (failure) std::rethrow_exception(failure);
    return encoded;
}

} // namespace pictor
