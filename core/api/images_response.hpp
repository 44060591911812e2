// Reads a successful Images API answer as gateways really send it: leading whitespace,
// raw or data-URL base64, missing padding, escaped line breaks and slashes, url items.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace pictor {

struct ResponseImage {
    std::string bytes; // decoded image bytes; empty when only a url came
    std::string url;
};

struct ImagesResponse {
    std::vector<ResponseImage> images;
    nlohmann::json usage; // null when absent
};

// Throws Error(bad_response) for anything unusable (not JSON, no data, broken base64), and
// Error with the server's kind when a 200 body carries an {"error": ...} object.
ImagesResponse read_images_response(const std::string &body);

// "data:image/png;base64,AAAA" -> "AAAA"; anything else unchanged.
std::string_view strip_data_url_prefix(std::string_view value);

} // namespace pictor
