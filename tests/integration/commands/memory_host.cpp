#include "memory_host.hpp"

#include <algorithm>
#include <cmath>
#include <chrono>
#include <cstring>
#include <thread>

namespace pictor_test {

MemoryHost::MemoryHost(uint32_t w, uint32_t h)
    : canvas_width(w), canvas_height(h), selection(size_t(w) * h, 0) {}

MemoryLayer &MemoryHost::add_pattern_layer(int32_t id, uint32_t width, uint32_t height, int32_t offset_x,
                                           int32_t offset_y, const std::string &name) {
    MemoryLayer layer{width, height, offset_x, offset_y, name, std::vector<uint8_t>(size_t(width) * height * 4)};
    for (uint32_t y = 0; y < height; ++y)
        for (uint32_t x = 0; x < width; ++x) {
            uint8_t *p = &layer.rgba[(size_t(y) * width + x) * 4];
            p[0] = uint8_t((x * 7 + y * 3 + uint32_t(id) * 40) & 0xFF);
            p[1] = uint8_t((x ^ y) & 0xFF);
            p[2] = uint8_t((y * 5 + 17) & 0xFF);
            p[3] = 255;
        }
    return layers[id] = std::move(layer);
}

void MemoryHost::select_ellipse(double cx, double cy, double rx, double ry, double soft_px) {
    for (uint32_t y = 0; y < canvas_height; ++y)
        for (uint32_t x = 0; x < canvas_width; ++x) {
            double dx = (x + 0.5 - cx) / rx, dy = (y + 0.5 - cy) / ry;
            // Distance outside the ellipse, in pixels along the smaller radius (approximate).
            double outside = (std::sqrt(dx * dx + dy * dy) - 1.0) * std::min(rx, ry);
            double value = outside <= 0 ? 255.0 : soft_px > 0 ? 255.0 * (1.0 - outside / soft_px) : 0.0;
            selection[size_t(y) * canvas_width + x] = uint8_t(std::clamp(value, 0.0, 255.0));
        }
}

void MemoryHost::select_rect(int32_t x, int32_t y, uint32_t width, uint32_t height, uint8_t value) {
    for (uint32_t row = 0; row < height; ++row)
        std::memset(&selection[size_t(y + int32_t(row)) * canvas_width + size_t(x)], value, width);
}

void MemoryHost::clear_selection() { std::fill(selection.begin(), selection.end(), 0); }

std::vector<CallbackCall> MemoryHost::calls_named(const std::string &name) {
    std::lock_guard<std::mutex> lock(mutex);
    std::vector<CallbackCall> out;
    for (const auto &call : calls)
        if (call.name == name)
            out.push_back(call);
    return out;
}

std::string MemoryHost::all_messages() {
    std::lock_guard<std::mutex> lock(mutex);
    std::string out;
    for (const auto &m : messages)
        out += std::to_string(int(m.first)) + ": " + m.second + "\n";
    return out;
}

void MemoryHost::record(const char *name) {
    std::lock_guard<std::mutex> lock(mutex);
    calls.push_back({name, std::this_thread::get_id()});
}

pictor_host MemoryHost::table() {
    pictor_host host;
    pictor_host_init(&host);
    host.user_data = this;
    host.canvas_size = canvas_size_cb;
    host.describe_layer = describe_layer_cb;
    host.read_layer = read_layer_cb;
    if (offers_selection) {
        host.describe_selection = describe_selection_cb;
        host.read_selection = read_selection_cb;
    }
    host.add_layer = add_layer_cb;
    host.progress = progress_cb;
    host.message = message_cb;
    host.preview = preview_cb;
    return host;
}

int MemoryHost::canvas_size_cb(void *user, uint32_t *width, uint32_t *height) {
    auto *self = static_cast<MemoryHost *>(user);
    self->record("canvas_size");
    *width = self->canvas_width;
    *height = self->canvas_height;
    return 0;
}

int MemoryHost::describe_layer_cb(void *user, int32_t id, pictor_layer_desc *desc) {
    auto *self = static_cast<MemoryHost *>(user);
    self->record("describe_layer");
    auto it = self->layers.find(id);
    if (it == self->layers.end())
        return 1;
    desc->width = it->second.width;
    desc->height = it->second.height;
    desc->offset_x = it->second.offset_x;
    desc->offset_y = it->second.offset_y;
    desc->name = it->second.name.c_str();
    return 0;
}

int MemoryHost::read_layer_cb(void *user, int32_t id, int32_t x, int32_t y, uint32_t width, uint32_t height,
                              uint8_t *rgba, size_t stride) {
    auto *self = static_cast<MemoryHost *>(user);
    self->record("read_layer");
    auto it = self->layers.find(id);
    if (it == self->layers.end())
        return 1;
    const MemoryLayer &layer = it->second;
    if (x < 0 || y < 0 || width == 0 || height == 0 || uint64_t(x) + width > layer.width ||
        uint64_t(y) + height > layer.height || stride < size_t(width) * 4) {
        std::lock_guard<std::mutex> lock(self->mutex);
        self->contract_violations.push_back("read_layer outside layer " + std::to_string(id));
        return 1;
    }
    if (self->read_layer_delay_ms > 0) // a slow host (a big image read from disk)
        std::this_thread::sleep_for(std::chrono::milliseconds(self->read_layer_delay_ms));
    if (id == self->fail_read_layer)
        return 1;
    for (uint32_t row = 0; row < height; ++row)
        std::memcpy(rgba + row * stride, layer.pixel(x, y + int32_t(row)), size_t(width) * 4);
    std::lock_guard<std::mutex> lock(self->mutex);
    self->last_read_layer_at =
        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    return 0;
}

int MemoryHost::describe_selection_cb(void *user, pictor_selection_desc *desc) {
    auto *self = static_cast<MemoryHost *>(user);
    self->record("describe_selection");
    int32_t left = INT32_MAX, top = INT32_MAX, right = -1, bottom = -1;
    for (uint32_t y = 0; y < self->canvas_height; ++y)
        for (uint32_t x = 0; x < self->canvas_width; ++x)
            if (self->selection[size_t(y) * self->canvas_width + x]) {
                left = std::min(left, int32_t(x));
                right = std::max(right, int32_t(x));
                top = std::min(top, int32_t(y));
                bottom = std::max(bottom, int32_t(y));
            }
    desc->is_empty = right < 0;
    if (right >= 0) {
        desc->x = left;
        desc->y = top;
        desc->width = uint32_t(right - left + 1);
        desc->height = uint32_t(bottom - top + 1);
    }
    return 0;
}

int MemoryHost::read_selection_cb(void *user, int32_t x, int32_t y, uint32_t width, uint32_t height,
                                  uint8_t *coverage, size_t stride) {
    auto *self = static_cast<MemoryHost *>(user);
    self->record("read_selection");
    if (x < 0 || y < 0 || width == 0 || height == 0 || uint64_t(x) + width > self->canvas_width ||
        uint64_t(y) + height > self->canvas_height || stride < width) {
        std::lock_guard<std::mutex> lock(self->mutex);
        self->contract_violations.push_back("read_selection outside the canvas");
        return 1;
    }
    for (uint32_t row = 0; row < height; ++row)
        std::memcpy(coverage + row * stride, &self->selection[size_t(y + int32_t(row)) * self->canvas_width + size_t(x)],
                    width);
    return 0;
}

int MemoryHost::add_layer_cb(void *user, const pictor_new_layer *in) {
    auto *self = static_cast<MemoryHost *>(user);
    self->record("add_layer");
    if (self->fail_add_layer)
        return 1;
    AddedLayer layer;
    layer.name = in->name ? in->name : "";
    layer.offset_x = in->offset_x;
    layer.offset_y = in->offset_y;
    layer.width = in->width;
    layer.height = in->height;
    const size_t bytes = size_t(in->width) * in->height * 4;
    layer.rgba.assign(in->rgba, in->rgba + bytes);
    if (in->mask)
        layer.mask.assign(in->mask, in->mask + bytes / 4);
    layer.masked_rgba.assign(in->masked_rgba, in->masked_rgba + bytes);
    layer.composited_rgba.assign(in->composited_rgba, in->composited_rgba + bytes);
    layer.masked_is_rgba = in->masked_rgba == in->rgba;
    layer.composited_is_rgba = in->composited_rgba == in->rgba;
    layer.above_layer = in->above_layer;
    layer.variation = in->variation;
    layer.variation_count = in->variation_count;
    layer.history_path = in->history_path ? in->history_path : "";
    layer.request_id = in->request_id ? in->request_id : "";
    std::lock_guard<std::mutex> lock(self->mutex);
    self->added.push_back(std::move(layer));
    return 0;
}

int MemoryHost::progress_cb(void *user, const pictor_progress *) {
    auto *self = static_cast<MemoryHost *>(user);
    self->record("progress");
    std::lock_guard<std::mutex> lock(self->mutex);
    ++self->progress_calls;
    return self->cancel_from_progress ? 1 : 0;
}

void MemoryHost::message_cb(void *user, pictor_message_level level, const char *text) {
    auto *self = static_cast<MemoryHost *>(user);
    self->record("message");
    std::lock_guard<std::mutex> lock(self->mutex);
    self->messages.emplace_back(level, text ? text : "");
}

void MemoryHost::preview_cb(void *user, const pictor_image *partial, int index, int total) {
    auto *self = static_cast<MemoryHost *>(user);
    self->record("preview");
    std::lock_guard<std::mutex> lock(self->mutex);
    self->previews.emplace_back(index, total);
    self->preview_sizes.emplace_back(pictor_image_width(partial), pictor_image_height(partial));
}

} // namespace pictor_test
