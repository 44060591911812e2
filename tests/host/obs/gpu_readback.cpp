#include "gpu_readback.hpp"

#include <graphics/vec4.h>

#include <cstdlib>
#include <cstring>
#include <set>

namespace pictor_obs_test {

Pixels render_source(obs_source_t *source) {
    Pixels pixels;
    const uint32_t width = obs_source_get_width(source);
    const uint32_t height = obs_source_get_height(source);
    if (width == 0 || height == 0)
        return pixels;
    obs_enter_graphics();
    gs_texrender_t *render = gs_texrender_create(GS_RGBA, GS_ZS_NONE);
    gs_stagesurf_t *stage = gs_stagesurface_create(width, height, GS_RGBA);
    if (gs_texrender_begin(render, width, height)) {
        vec4 transparent;
        vec4_zero(&transparent);
        gs_clear(GS_CLEAR_COLOR, &transparent, 0.0f, 0);
        gs_ortho(0.0f, float(width), 0.0f, float(height), -100.0f, 100.0f);
        gs_blend_state_push();
        gs_blend_function(GS_BLEND_ONE, GS_BLEND_ZERO);
        obs_source_video_render(source);
        gs_blend_state_pop();
        gs_texrender_end(render);
        gs_stage_texture(stage, gs_texrender_get_texture(render));
        uint8_t *data = nullptr;
        uint32_t linesize = 0;
        if (gs_stagesurface_map(stage, &data, &linesize)) {
            pixels.width = width;
            pixels.height = height;
            pixels.rgba.resize(size_t(width) * height * 4);
            for (uint32_t y = 0; y < height; ++y)
                std::memcpy(pixels.rgba.data() + size_t(y) * width * 4, data + size_t(y) * linesize, size_t(width) * 4);
            gs_stagesurface_unmap(stage);
        }
    }
    gs_stagesurface_destroy(stage);
    gs_texrender_destroy(render);
    obs_leave_graphics();
    return pixels;
}

int max_channel_difference(const Pixels &a, const Pixels &b, std::string *where) {
    if (a.width != b.width || a.height != b.height || a.rgba.size() != b.rgba.size()) {
        if (where)
            *where = "sizes differ: " + std::to_string(a.width) + "x" + std::to_string(a.height) + " vs " +
                     std::to_string(b.width) + "x" + std::to_string(b.height);
        return 255;
    }
    int worst = 0;
    size_t worst_at = 0;
    for (size_t i = 0; i < a.rgba.size(); ++i) {
        const int d = std::abs(int(a.rgba[i]) - int(b.rgba[i]));
        if (d > worst) {
            worst = d;
            worst_at = i;
        }
    }
    if (where) {
        const size_t pixel = worst_at / 4;
        *where = "worst at x=" + std::to_string(pixel % a.width) + " y=" + std::to_string(pixel / a.width) +
                 " channel " + std::to_string(worst_at % 4) + ": " + std::to_string(a.rgba[worst_at]) + " vs " +
                 std::to_string(b.rgba[worst_at]);
    }
    return worst;
}

size_t distinct_colours(const Pixels &pixels, size_t limit) {
    std::set<uint32_t> colours;
    for (size_t i = 0; i + 3 < pixels.rgba.size() && colours.size() < limit; i += 4) {
        uint32_t c;
        std::memcpy(&c, pixels.rgba.data() + i, 4);
        colours.insert(c);
    }
    return colours.size();
}

} // namespace pictor_obs_test
