#include "file_document.hpp"

#include <algorithm>
#include <cstring>

namespace pictor_cli {

FileDocument::FileDocument(uint32_t width, uint32_t height, const uint8_t *rgba, std::vector<uint8_t> coverage,
                           ProgressLine *line)
    : width_(width), height_(height), rgba_(rgba, rgba + size_t(width) * height * 4), coverage_(std::move(coverage)),
      line_(line) {}

bool FileDocument::selection_is_empty() const {
    pictor_selection_desc bounds{};
    bounds.struct_size = sizeof bounds;
    return pictor_coverage_bounds(coverage_.data(), width_, height_, width_, &bounds) != PICTOR_OK || bounds.is_empty;
}

pictor_host FileDocument::table() {
    pictor_host host;
    pictor_host_init(&host);
    host.user_data = this;
    host.canvas_size = canvas_size;
    host.describe_layer = describe_layer;
    host.read_layer = read_layer;
    host.describe_selection = describe_selection;
    host.read_selection = read_selection;
    host.add_layer = add_layer;
    host.progress = progress;
    host.message = message;
    return host;
}

int FileDocument::canvas_size(void *user, uint32_t *width, uint32_t *height) {
    auto *self = static_cast<FileDocument *>(user);
    *width = self->width_;
    *height = self->height_;
    return 0;
}

int FileDocument::describe_layer(void *user, int32_t layer, pictor_layer_desc *desc) {
    auto *self = static_cast<FileDocument *>(user);
    if (layer != 0) return 1; // the only layer is the --image file
    desc->width = self->width_;
    desc->height = self->height_;
    desc->offset_x = desc->offset_y = 0;
    desc->name = "--image";
    return 0;
}

int FileDocument::read_layer(void *user, int32_t layer, int32_t x, int32_t y, uint32_t width, uint32_t height,
                             uint8_t *rgba, size_t stride) {
    auto *self = static_cast<FileDocument *>(user);
    if (layer != 0 || x < 0 || y < 0 || uint64_t(x) + width > self->width_ || uint64_t(y) + height > self->height_)
        return 1;
    for (uint32_t row = 0; row < height; ++row)
        std::memcpy(rgba + row * stride, &self->rgba_[((size_t(y) + row) * self->width_ + size_t(x)) * 4],
                    size_t(width) * 4);
    return 0;
}

int FileDocument::describe_selection(void *user, pictor_selection_desc *desc) {
    auto *self = static_cast<FileDocument *>(user);
    return pictor_coverage_bounds(self->coverage_.data(), self->width_, self->height_, self->width_, desc) == PICTOR_OK
               ? 0
               : 1;
}

int FileDocument::read_selection(void *user, int32_t x, int32_t y, uint32_t width, uint32_t height,
                                 uint8_t *coverage, size_t stride) {
    auto *self = static_cast<FileDocument *>(user);
    if (x < 0 || y < 0 || uint64_t(x) + width > self->width_ || uint64_t(y) + height > self->height_) return 1;
    for (uint32_t row = 0; row < height; ++row)
        std::memcpy(coverage + row * stride, &self->coverage_[(size_t(y) + row) * self->width_ + size_t(x)], width);
    return 0;
}

int FileDocument::add_layer(void *user, const pictor_new_layer *layer) {
    auto *self = static_cast<FileDocument *>(user);
    ReceivedLayer out;
    out.offset_x = layer->offset_x;
    out.offset_y = layer->offset_y;
    out.width = layer->width;
    out.height = layer->height;
    const size_t bytes = size_t(layer->width) * layer->height * 4;
    out.masked_rgba.assign(layer->masked_rgba, layer->masked_rgba + bytes);
    out.composited_rgba.assign(layer->composited_rgba, layer->composited_rgba + bytes);
    out.history_path = layer->history_path ? layer->history_path : "";
    self->layers_.push_back(std::move(out));
    return 0;
}

int FileDocument::progress(void *user, const pictor_progress *progress) {
    return ProgressLine::callback(progress, static_cast<FileDocument *>(user)->line_);
}

// The job's error is reported once, from pictor_job_error; warnings are printed as they come.
void FileDocument::message(void *user, pictor_message_level level, const char *text) {
    if (level == PICTOR_MESSAGE_ERROR || !text) return;
    static_cast<FileDocument *>(user)->line_->print_above(
        std::string(level == PICTOR_MESSAGE_WARNING ? "pictor: warning: " : "pictor: ") + text);
}

} // namespace pictor_cli
