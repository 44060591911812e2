// Where a job's outputs go: new layers, progress, partial previews, messages for the user. The
// job engine decides on which thread each call happens (the worker, or the host's thread inside
// dispatch); a sink only forwards to the host.
#pragma once

#include <cstdint>
#include <string>

#include "api/image_request.hpp"
#include "image/gray_image.hpp"
#include "image/pixel_rect.hpp"
#include "image/rgba_image.hpp"

namespace pictor::plugin {

// A layer a command made, for the host to insert (pictor_new_layer in the C ABI).
struct NewLayer {
    std::string name;
    PixelRect rect;             // where it goes, canvas space; rgba is rect-sized
    RgbaImage rgba;             // the model's pixels
    GrayImage mask;             // the feathered selection over rect; empty: no mask
    RgbaImage masked_rgba;      // rgba with alpha * mask; empty when there is no mask
    RgbaImage composited_rgba;  // rgba through mask over the source layer; empty without mask
    int32_t above_layer = 0;
    int variation = 0;
    int variation_count = 1;
    std::string history_path;
    std::string request_id;
};

enum class MessageLevel { info = 0, warning = 1, error = 2 };

class JobSink {
public:
    virtual ~JobSink() = default;

    // false: the host could not insert it (the image stays in history).
    virtual bool add_layer(const NewLayer &layer) = 0;
    // false: the host asks to cancel.
    virtual bool progress(const Progress &progress) = 0;
    virtual void preview(const RgbaImage &partial, int index, int total) = 0;
    virtual void message(MessageLevel level, const std::string &text) = 0;
};

} // namespace pictor::plugin
