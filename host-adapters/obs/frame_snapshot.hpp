// Captures the frame a filter receives (its source, and the filters below it) into CPU memory:
// render into a texture, copy it into a staging surface, map it. Graphics thread only. It costs
// one GPU-to-CPU read, done once per restyle, not per frame.
#pragma once

#include "request_spec.hpp"

#include <obs.h>

namespace pictor_obs {

class FrameSnapshot {
public:
    FrameSnapshot() = default;
    FrameSnapshot(const FrameSnapshot &) = delete;
    FrameSnapshot &operator=(const FrameSnapshot &) = delete;

    // Inside the filter's video_render: renders the filter's input at width x height and
    // reads it back. On success the captured texture stays available through texture() for
    // the rest of this frame (the filter draws it instead of rendering its input twice).
    bool capture(obs_source_t *filter, uint32_t width, uint32_t height, RgbaImage &out);
    gs_texture_t *texture() const;
    // With the graphics context entered.
    void destroy();

private:
    gs_texrender_t *render_ = nullptr;
    gs_stagesurf_t *stage_ = nullptr;
};

} // namespace pictor_obs
