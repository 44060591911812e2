#include "frame_snapshot.hpp"

#include <graphics/vec4.h>

#include <cstring>

namespace pictor_obs {

bool FrameSnapshot::capture(obs_source_t *filter, uint32_t width, uint32_t height, RgbaImage &out) {
    if (!render_)
        render_ = gs_texrender_create(GS_RGBA, GS_ZS_NONE);
    if (stage_ && (gs_stagesurface_get_width(stage_) != width || gs_stagesurface_get_height(stage_) != height)) {
        gs_stagesurface_destroy(stage_);
        stage_ = nullptr;
    }
    if (!stage_)
        stage_ = gs_stagesurface_create(width, height, GS_RGBA);
    if (!render_ || !stage_)
        return false;

    gs_texrender_reset(render_);
    bool rendered = false;
    // Copy the input as it is (no blending with what was in the texture before).
    gs_blend_state_push();
    gs_blend_function(GS_BLEND_ONE, GS_BLEND_ZERO);
    if (gs_texrender_begin(render_, width, height)) {
        vec4 transparent;
        vec4_zero(&transparent);
        gs_clear(GS_CLEAR_COLOR, &transparent, 0.0f, 0);
        gs_ortho(0.0f, float(width), 0.0f, float(height), -100.0f, 100.0f);
        if (obs_source_process_filter_begin(filter, GS_RGBA, OBS_NO_DIRECT_RENDERING)) {
            obs_source_process_filter_end(filter, obs_get_base_effect(OBS_EFFECT_DEFAULT), width, height);
            rendered = true;
        }
        gs_texrender_end(render_);
    }
    gs_blend_state_pop();
    if (!rendered)
        return false;

    gs_stage_texture(stage_, gs_texrender_get_texture(render_));
    uint8_t *data = nullptr;
    uint32_t linesize = 0;
    if (!gs_stagesurface_map(stage_, &data, &linesize))
        return false;
    out.width = width;
    out.height = height;
    out.pixels.resize(size_t(width) * height * 4);
    for (uint32_t y = 0; y < height; ++y)
        std::memcpy(out.pixels.data() + size_t(y) * width * 4, data + size_t(y) * linesize, size_t(width) * 4);
    gs_stagesurface_unmap(stage_);
    return true;
}

gs_texture_t *FrameSnapshot::texture() const { return render_ ? gs_texrender_get_texture(render_) : nullptr; }

void FrameSnapshot::destroy() {
    gs_texrender_destroy(render_);
    render_ = nullptr;
    gs_stagesurface_destroy(stage_);
    stage_ = nullptr;
}

} // namespace pictor_obs
