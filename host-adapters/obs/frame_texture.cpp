#include "frame_texture.hpp"

#include <graphics/graphics.h>
#include <obs.h>

#include <utility>

namespace pictor_obs {

void FrameTexture::offer(RgbaImage image) {
    std::lock_guard<std::mutex> lock(mutex_);
    width_ = image.width;
    height_ = image.height;
    pending_ = std::move(image);
    clear_pending_ = false;
}

void FrameTexture::clear() {
    std::lock_guard<std::mutex> lock(mutex_);
    pending_.reset();
    clear_pending_ = true;
    width_ = 0;
    height_ = 0;
}

uint32_t FrameTexture::width() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return width_;
}

uint32_t FrameTexture::height() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return height_;
}

gs_texture *FrameTexture::texture() {
    std::optional<RgbaImage> upload;
    bool drop = false;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        upload = std::move(pending_);
        pending_.reset();
        drop = clear_pending_;
        clear_pending_ = false;
    }
    if (drop || upload)
        destroy_texture();
    if (upload && upload->width > 0 && upload->height > 0) {
        const uint8_t *planes[1] = {upload->pixels.data()};
        texture_ = gs_texture_create(upload->width, upload->height, GS_RGBA, 1, planes, 0);
    }
    return texture_;
}

void FrameTexture::destroy_texture() {
    if (texture_) {
        gs_texture_destroy(texture_);
        texture_ = nullptr;
    }
}

void draw_texture(gs_texture_t *texture, uint32_t width, uint32_t height) {
    gs_effect_t *effect = obs_get_base_effect(OBS_EFFECT_DEFAULT);
    gs_effect_set_texture(gs_effect_get_param_by_name(effect, "image"), texture);
    while (gs_effect_loop(effect, "Draw"))
        gs_draw_sprite(texture, 0, width, height);
}

} // namespace pictor_obs
