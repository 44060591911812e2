// Reads a successful Images API answer as gateways really send it: leading whitespace,
// raw or data-URL base64, missing padding, escaped line breaks and slashes, url items.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "image/rgba_image.hpp"

namespace pictor {

struct ResponseImage {
    std::string bytes; // decoded image bytes; empty when only a url came
    std::string url;
    RgbaImage rgba;       // set when decoded while it arrived
    bool decoded = false; // false: decode bytes with decode_image
};

struct ImagesResponse {
    std::vector<ResponseImage> images;
    nlohmann::json usage; // null when absent
    // Odd parts of an answer that was still kept (an error object beside an image).
    std::vector<std::string> warnings;
};

// Throws Error(bad_response) for anything unusable (not JSON, no data, broken base64), and
// Error with the server's kind when a 200 body carries an {"error": ...} object and no image
// (beside an image, the error is only a warning: the image is billed).
ImagesResponse read_images_response(const std::string &body);

class StreamedImage;

// The same, for an answer whose b64_json values were streamed (see B64JsonScanner): skeleton
// holds the JSON with each streamed value replaced by its placeholder; images holds them.
ImagesResponse read_images_response(const std::string &skeleton,
                                    std::vector<std::unique_ptr<StreamedImage>> &images);

// One SSE event's data (a partial_image or completed event): its image and usage; the event's
// other fields are in the returned json. Throws as read_images_response.
struct EventImage {
    ResponseImage image;
    nlohmann::json event;
    std::vector<std::string> warnings;
};
EventImage read_event_image(const std::string &skeleton,
                            std::vector<std::unique_ptr<StreamedImage>> &images);

// The answer's "error" member says something: gateways also send "error": {}, "" or null
// beside a good answer.
bool reports_error(const nlohmann::json &answer);

// Throws Error(bad_response, request sent, may be billed) saying the answer is unusable and why.
[[noreturn]] void unusable(const std::string &why);

// Adds the integers found at the same place in two usage objects (several calls or streamed
// images, one result); a member only one side has is kept. A usage that is not an object is
// ignored.
void add_usage(nlohmann::json &total, const nlohmann::json &usage);

// "data:image/png;base64,AAAA" -> "AAAA"; anything else unchanged.
std::string_view strip_data_url_prefix(std::string_view value);

} // namespace pictor
