// What one image request of the OBS module asks for, and what it brought back. Plain values, so
// a request can be handed to a worker thread and its outcome back to OBS without sharing state.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pictor_obs {

enum class RequestKind {
    generate, // text to image: POST /images/generations
    edit,     // the source's frame + prompt: POST /images/edits
    restore   // decode a history file: no network, nothing billed
};

// RGBA8, straight alpha, rows top to bottom without padding.
struct RgbaImage {
    uint32_t width = 0;
    uint32_t height = 0;
    std::vector<uint8_t> pixels;
};

struct RequestSpec {
    RequestKind kind = RequestKind::generate;
    // Empty strings mean "resolve it": the shared pictor configuration (environment, then
    // ~/.config/pictor/config.json), then the profile's default. The API key is never here.
    std::string profile;
    std::string base_url;
    std::string prompt;
    std::string size;
    std::string quality;
    int previews = 0;         // partial images to show while it generates (0-3; streaming routes)
    RgbaImage input;          // edit: the frame to restyle
    std::string history_path; // restore: the file to decode
};

struct RequestOutcome {
    bool ok = false;
    RgbaImage image;
    std::string history_path; // where the received image was written before we saw it
    std::string request_id;
    std::string message;      // on failure: what happened and what to do
};

} // namespace pictor_obs
