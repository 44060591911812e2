// An in-memory document behind a pictor_host table: layers (any size, any offset, also over
// the canvas edge), an 8-bit selection over the canvas, and a record of every callback — which
// thread it ran on, what it was given — so tests can check the host seam's contract.
#pragma once

#include <pictor/pictor.h>

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace pictor_test {

struct MemoryLayer {
    uint32_t width = 0, height = 0;
    int32_t offset_x = 0, offset_y = 0;
    std::string name;
    std::vector<uint8_t> rgba; // width * height * 4

    const uint8_t *pixel(int32_t x, int32_t y) const { return &rgba[(size_t(y) * width + size_t(x)) * 4]; }
};

// A copy of what add_layer received (its pointers die with the call).
struct AddedLayer {
    std::string name;
    int32_t offset_x = 0, offset_y = 0;
    uint32_t width = 0, height = 0;
    std::vector<uint8_t> rgba, mask, masked_rgba, composited_rgba; // mask empty when NULL
    bool masked_is_rgba = false, composited_is_rgba = false;      // the pointers were == rgba
    int32_t above_layer = 0;
    int variation = 0, variation_count = 0;
    std::string history_path, request_id;
};

struct CallbackCall {
    std::string name; // "canvas_size", "read_layer", "add_layer", "progress", "message", ...
    std::thread::id thread;
};

class MemoryHost {
public:
    MemoryHost(uint32_t canvas_width, uint32_t canvas_height);

    // A layer filled with a deterministic opaque pattern unlike anything the mock draws.
    MemoryLayer &add_pattern_layer(int32_t id, uint32_t width, uint32_t height, int32_t offset_x, int32_t offset_y,
                                   const std::string &name);
    // Coverage of an ellipse: 255 inside, falling linearly to 0 over `soft_px` outside (soft edge).
    void select_ellipse(double cx, double cy, double rx, double ry, double soft_px);
    void select_rect(int32_t x, int32_t y, uint32_t width, uint32_t height, uint8_t value = 255);
    void clear_selection();

    pictor_host table();

    uint32_t canvas_width, canvas_height;
    std::map<int32_t, MemoryLayer> layers;
    bool offers_selection = true;       // false: describe_selection / read_selection are NULL
    std::vector<uint8_t> selection;     // canvas_width * canvas_height
    bool fail_add_layer = false;
    bool cancel_from_progress = false;
    int read_layer_delay_ms = 0;        // each read_layer takes at least this long
    int32_t fail_read_layer = 0;        // reading this layer fails (a host error mid-way)
    double last_read_layer_at = 0;      // wall-clock seconds when the last read_layer returned

    // Recorded (guarded by mutex: ON_WORKER callbacks run on the worker).
    std::mutex mutex;
    std::vector<CallbackCall> calls;
    std::vector<AddedLayer> added;
    std::vector<std::pair<pictor_message_level, std::string>> messages;
    std::vector<std::string> contract_violations; // reads outside the layer / canvas
    int progress_calls = 0;
    std::vector<std::pair<int, int>> previews; // (index, total)
    std::vector<std::pair<uint32_t, uint32_t>> preview_sizes;

    std::vector<CallbackCall> calls_named(const std::string &name);
    std::string all_messages();

private:
    void record(const char *name);

    static int canvas_size_cb(void *user, uint32_t *width, uint32_t *height);
    static int describe_layer_cb(void *user, int32_t layer, pictor_layer_desc *desc);
    static int read_layer_cb(void *user, int32_t layer, int32_t x, int32_t y, uint32_t width, uint32_t height,
                             uint8_t *rgba, size_t stride);
    static int describe_selection_cb(void *user, pictor_selection_desc *desc);
    static int read_selection_cb(void *user, int32_t x, int32_t y, uint32_t width, uint32_t height, uint8_t *coverage,
                                 size_t stride);
    static int add_layer_cb(void *user, const pictor_new_layer *layer);
    static int progress_cb(void *user, const pictor_progress *progress);
    static void message_cb(void *user, pictor_message_level level, const char *text);
    static void preview_cb(void *user, const pictor_image *partial, int index, int total);
};

} // namespace pictor_test
