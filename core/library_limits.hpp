// The library's limits and defaults, each defined here once. The C ABI publishes them
// (pictor_get_limits) so that hosts show and check the same numbers instead of copies.
#pragma once

#include <cstddef>
#include <cstdint>

namespace pictor::library_limits {

// A response body larger than this is cut and refused (too_large).
constexpr uint64_t max_response_bytes = 512ull << 20;
// Images declaring more pixels are refused before decoding.
constexpr uint64_t max_pixels = 64ull * 1000 * 1000;
// Retries happen only where nothing can be billed twice.
constexpr int max_retries = 2;
constexpr double connect_timeout_s = 10;
// The Images API's prompt limit, in characters (UTF-8 code points).
constexpr size_t max_prompt_chars = 32000;
// The Images API's edit endpoint takes at most this many image[] parts (a profile may say less).
constexpr int max_edit_images = 16;
// edit_with_references: the active layer plus these make the max_edit_images an edit takes.
constexpr int max_reference_layers = max_edit_images - 1;
// Inpaint: how the selection grows, feathers and how much picture around it is sent.
constexpr int default_grow_px = 4;
constexpr int default_feather_px = 8;
constexpr int default_context_px = 64;
constexpr int max_grow_px = 1024;
constexpr int max_feather_px = 1024;
constexpr int max_context_px = 4096;
// The Images API streams at most this many previews (partial_images) per image.
constexpr int max_partial_images = 3;

} // namespace pictor::library_limits
