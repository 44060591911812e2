// The command line as a host: one layer (the --image file, canvas-sized at 0,0) and a selection
// (the --selection file), behind a pictor_host table. The layers a job adds are kept in memory
// for the caller to write out.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <pictor/pictor.h>

#include "progress_line.hpp"

namespace pictor_cli {

struct ReceivedLayer {
    int32_t offset_x = 0, offset_y = 0;
    uint32_t width = 0, height = 0;
    std::vector<uint8_t> masked_rgba;     // alpha = the model's alpha x the feathered selection
    std::vector<uint8_t> composited_rgba; // the model's pixels blended over the image
    std::string history_path;
};

class FileDocument {
public:
    // rgba: width * height * 4; coverage: width * height. Progress and the job's warnings go to
    // `line`, which must outlive the job.
    FileDocument(uint32_t width, uint32_t height, const uint8_t *rgba, std::vector<uint8_t> coverage,
                 ProgressLine *line);

    // The table's user_data is this object; it must outlive the job.
    pictor_host table();

    uint32_t width() const { return width_; }
    uint32_t height() const { return height_; }
    const std::vector<uint8_t> &rgba() const { return rgba_; }
    bool selection_is_empty() const;
    const std::vector<ReceivedLayer> &layers() const { return layers_; }

private:
    static int canvas_size(void *user, uint32_t *width, uint32_t *height);
    static int describe_layer(void *user, int32_t layer, pictor_layer_desc *desc);
    static int read_layer(void *user, int32_t layer, int32_t x, int32_t y, uint32_t width, uint32_t height,
                          uint8_t *rgba, size_t stride);
    static int describe_selection(void *user, pictor_selection_desc *desc);
    static int read_selection(void *user, int32_t x, int32_t y, uint32_t width, uint32_t height, uint8_t *coverage,
                              size_t stride);
    static int add_layer(void *user, const pictor_new_layer *layer);
    static int progress(void *user, const pictor_progress *progress);
    static void message(void *user, pictor_message_level level, const char *text);

    uint32_t width_, height_;
    std::vector<uint8_t> rgba_;
    std::vector<uint8_t> coverage_;
    std::vector<ReceivedLayer> layers_;
    ProgressLine *line_;
};

} // namespace pictor_cli
