// What a host asks for, in the core's terms (the C ABI's pictor_request, copied).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "net/http_exchange.hpp"

namespace pictor {

struct InputImage {
    std::string bytes;    // encoded PNG / JPEG / WebP
    std::string filename; // "" = image-<n>.<ext>
};

struct Progress {
    net::Phase phase = net::Phase::preparing;
    double elapsed_s = 0;
    uint64_t bytes_sent = 0, bytes_to_send = 0, bytes_received = 0, bytes_to_receive = 0;
    int requests_total = 1, requests_done = 0;
    int attempt = 1;
    double retry_in_s = 0;
};

// Return false to cancel.
using ProgressCallback = std::function<bool(const Progress &)>;

struct ImageRequest {
    std::string prompt;
    std::string size;          // "" = the route's default
    std::string quality;       // "" = not sent
    std::string output_format; // "" = png, not sent
    int output_compression = -1;
    std::string background;
    std::string moderation;
    int n = 1;
    double timeout_s = 0;      // 0 = by quality
    std::vector<InputImage> images; // edits
    bool has_mask = false;
    InputImage mask;
    ProgressCallback progress;
};

} // namespace pictor
