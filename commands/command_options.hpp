// What a host asks a command to do: which command, the request's fields, which layers, and how
// the selection becomes a mask.
#pragma once

#include <cstdint>
#include <vector>

#include "api/image_request.hpp"

namespace pictor::plugin {

enum class CommandKind { generate_as_new_layer = 1, inpaint_selection = 2, edit_with_references = 3 };

const char *command_name(CommandKind kind); // "generate_as_new_layer", ...

// The defaults pictor.h documents for -1.
constexpr int default_grow_px = 4;
constexpr int default_feather_px = 8;
constexpr int default_context_px = 64;
// Beyond these the host passed garbage: a grow of 100000 px would read the whole canvas.
constexpr int max_grow_px = 1024;
constexpr int max_feather_px = 1024;
constexpr int max_context_px = 4096;
// edit_with_references: the active layer plus these make the 16 images an edit takes.
constexpr size_t max_reference_layers = 15;

struct CommandOptions {
    CommandKind kind = CommandKind::generate_as_new_layer;
    // prompt, size ("auto", "WxH", "canvas" or ""), quality, n, ...; images, mask and progress
    // are filled by the command.
    ImageRequest request;
    int32_t layer = 0;
    std::vector<int32_t> reference_layers;
    int grow_px = default_grow_px;
    int feather_px = default_feather_px;
    int context_px = default_context_px;
    bool callbacks_on_worker = false;
};

} // namespace pictor::plugin
