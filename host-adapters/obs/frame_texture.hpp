// The hand-off of an image from a worker thread to OBS's graphics thread: the worker offers
// pixels under a mutex; the next video_render uploads them into a texture. Nothing waits on
// anything but that short lock.
#pragma once

#include "request_spec.hpp"

#include <cstdint>
#include <mutex>
#include <optional>

struct gs_texture;

namespace pictor_obs {

class FrameTexture {
public:
    FrameTexture() = default;
    FrameTexture(const FrameTexture &) = delete;
    FrameTexture &operator=(const FrameTexture &) = delete;

    // Any thread: show this image from the next frame on.
    void offer(RgbaImage image);
    // Any thread: show nothing from the next frame on.
    void clear();
    // The size of the image shown, or about to be shown at the next frame; 0 x 0 for none.
    uint32_t width() const;
    uint32_t height() const;
    bool has_image() const { return width() > 0; }

    // Graphics thread (inside video_render): the texture to draw, uploading what was offered.
    // nullptr when there is no image.
    gs_texture *texture();
    // With the graphics context entered (the owner's destroy).
    void destroy_texture();

private:
    mutable std::mutex mutex_;
    std::optional<RgbaImage> pending_;
    bool clear_pending_ = false;
    uint32_t width_ = 0;
    uint32_t height_ = 0;
    gs_texture *texture_ = nullptr; // graphics thread only
};

// Graphics thread, with no effect active: draws texture scaled to width x height at 0, 0.
void draw_texture(gs_texture *texture, uint32_t width, uint32_t height);

} // namespace pictor_obs
