// What a source really draws: render it on the GPU into a texture and read the texture back
// through a staging surface (the same path OBS's outputs take), as RGBA8.
#pragma once

#include <obs.h>

#include <cstdint>
#include <string>
#include <vector>

namespace pictor_obs_test {

struct Pixels {
    uint32_t width = 0;
    uint32_t height = 0;
    std::vector<uint8_t> rgba; // rows top to bottom, no padding

    const uint8_t *at(uint32_t x, uint32_t y) const { return rgba.data() + (size_t(y) * width + x) * 4; }
};

// Renders source at its own size (obs_source_get_width/height); empty Pixels if it has none.
Pixels render_source(obs_source_t *source);

// The largest difference of any channel between two images of the same size (255 if the sizes
// differ), and a description of where it is, for failure messages.
int max_channel_difference(const Pixels &a, const Pixels &b, std::string *where = nullptr);

// How many different colours an image has (up to limit): a blank or flat image has 1.
size_t distinct_colours(const Pixels &pixels, size_t limit = 64);

} // namespace pictor_obs_test
