// WebP decoded as it arrives, through libwebp's incremental decoder (WebPIDecoder), straight
// into the frame.
#include <webp/decode.h>

#include <string>

#include "error.hpp"
#include "image/progressive_decoder.hpp"

namespace pictor {
namespace {

class WebPProgressiveDecoder final : public ProgressiveDecoder {
public:
    explicit WebPProgressiveDecoder(const DecodeLimits &limits) : limits_(limits) {}
    ~WebPProgressiveDecoder() override {
        if (decoder_) WebPIDelete(decoder_);
    }
    WebPProgressiveDecoder(const WebPProgressiveDecoder &) = delete;
    WebPProgressiveDecoder &operator=(const WebPProgressiveDecoder &) = delete;

    void update(const uint8_t *data, size_t size) override {
        if (complete_) return;
        if (decode_cancelled(limits_)) throw_decode_cancelled();
        if (!decoder_ && !start(data, size)) return;
        // WebPIUpdate reads the caller's buffer in place (it may move between calls), so the
        // bytes are never copied a second time.
        const VP8StatusCode status = WebPIUpdate(decoder_, data, size);
        if (status == VP8_STATUS_OK)
            complete_ = true;
        else if (status != VP8_STATUS_SUSPENDED)
            throw Error(ErrorKind::bad_image, "WebP: libwebp status " + std::to_string(int(status)));
    }

    bool complete() const override { return complete_; }

    RgbaImage take() override { return std::move(image_); }

private:
    // The frame is allocated once the header says how big it is.
    bool start(const uint8_t *data, size_t size) {
        WebPBitstreamFeatures features;
        const VP8StatusCode status = WebPGetFeatures(data, size, &features);
        if (status == VP8_STATUS_NOT_ENOUGH_DATA) return false;
        if (status != VP8_STATUS_OK)
            throw Error(ErrorKind::bad_image, "WebP: libwebp status " + std::to_string(int(status)));
        if (features.has_animation)
            throw Error(ErrorKind::bad_image, "WebP: an animation"); // decode_image refuses it
        check_decode_limits(ImageFormat::webp, uint32_t(features.width),
                            uint32_t(features.height), limits_);
        image_.width = uint32_t(features.width);
        image_.height = uint32_t(features.height);
        image_.pixels.resize(image_.stride() * image_.height);
        decoder_ = WebPINewRGB(MODE_RGBA, image_.pixels.data(), image_.pixels.size(),
                               int(image_.stride()));
        if (!decoder_) throw Error(ErrorKind::no_memory, "WebP: out of memory creating the decoder");
        return true;
    }

    DecodeLimits limits_;
    RgbaImage image_;
    WebPIDecoder *decoder_ = nullptr;
    bool complete_ = false;
};

} // namespace

std::unique_ptr<ProgressiveDecoder> make_webp_progressive_decoder(const DecodeLimits &limits) {
    return std::make_unique<WebPProgressiveDecoder>(limits);
}

} // namespace pictor
