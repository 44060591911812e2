// What a host asks a command to do: which command, the request's fields, which layers, and how
// the selection becomes a mask.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "library_limits.hpp"
#include "api/image_request.hpp"

namespace pictor::plugin {

enum class CommandKind { generate_as_new_layer = 1, inpaint_selection = 2, edit_with_references = 3 };

const char *command_name(CommandKind kind); // "generate_as_new_layer", ...

// The defaults pictor.h documents for -1, and the bounds beyond which the host passed garbage
// (a grow of 100000 px would read the whole canvas): the library's, published by
// pictor_get_limits.
using library_limits::default_context_px;
using library_limits::default_feather_px;
using library_limits::default_grow_px;
using library_limits::max_context_px;
using library_limits::max_feather_px;
using library_limits::max_grow_px;
constexpr size_t max_reference_layers = size_t(library_limits::max_reference_layers);

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
    // edit_with_references: the layer of the user's arrows and notes, sent as the markup.
    std::optional<int32_t> markup_layer;
};

} // namespace pictor::plugin
