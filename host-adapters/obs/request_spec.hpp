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
    restore,  // decode a history file: no network, nothing billed
    history   // decode a history entry by its id: no network, nothing billed
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
    std::string model;        // one of the profile's "models"; "" = the profile's default
    std::string complexity;   // one of the model's "complexities"; "" = not sent
    int upload_quality = 0;   // pictor_upload_quality of an edit's frame; 0 = the user's setting
    int previews = 0;         // partial images to show while it generates (0-3; streaming routes)
    RgbaImage input;          // edit: the frame to restyle
    std::string history_path; // restore: the file to decode
    std::string history_id;   // history: the entry to show
};

struct RequestOutcome {
    bool ok = false;
    RgbaImage image;
    std::string history_path; // where the received image was written before we saw it
    std::string request_id;
    std::string message;      // on failure: what happened and what to do, in OBS's words
    bool cancelled = false;   // the owner's Cancel ended it (message says whether it may be billed)
    bool may_be_billed = false; // on failure: the server may have made (and billed) an image
    double cost_usd = 0;      // what the received image may have cost (0: unknown or nothing)
};

// What a running request is doing, for the status line (pictor_progress's phase and time).
struct RequestProgress {
    int phase = 0;            // pictor_phase
    double elapsed_s = 0;
};

} // namespace pictor_obs
