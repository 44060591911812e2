#include "api/images_response.hpp"

#include <algorithm>
#include <cctype>

#include "api/b64_json_scanner.hpp"
#include "api/http_error.hpp"
#include "api/streamed_image.hpp"
#include "error.hpp"
#include "image/base64.hpp"

namespace pictor {

void unusable(const std::string &why) {
    ErrorInfo info;
    info.kind = ErrorKind::bad_response;
    info.message = "the gateway's answer is unusable: " + why +
                   " — check that the base URL points at an OpenAI-compatible /v1 endpoint";
    info.request_sent = true;
    info.may_be_billed = true;
    throw Error(info);
}

void add_usage(nlohmann::json &total, const nlohmann::json &usage) {
    // Only objects add up: a gateway's "usage": 5 or [] is ignored rather than thrown on, and
    // a total that is not an object yet is replaced.
    if (!usage.is_object())
        return;
    if (!total.is_object()) {
        total = usage;
        return;
    }
    for (auto it = usage.begin(); it != usage.end(); ++it) {
        auto &slot = total[it.key()];
        if (it->is_number_integer() && slot.is_number_integer())
            slot = slot.get<int64_t>() + it->get<int64_t>();
        else if (it->is_object() && slot.is_object())
            add_usage(slot, *it);
        else if (slot.is_null())
            slot = *it;
    }
}

std::string_view strip_data_url_prefix(std::string_view value) {
    size_t start = 0;
    while (start < value.size() && std::isspace(static_cast<unsigned char>(value[start])))
        ++start;
    value.remove_prefix(start);
    if (value.size() > 5 && value.compare(0, 5, "data:") == 0) {
        auto comma = value.find(',');
        if (comma != std::string_view::npos && comma < 128)
            value.remove_prefix(comma + 1);
    }
    return value;
}

namespace {

using StreamedImages = std::vector<std::unique_ptr<StreamedImage>>;

// The image of one b64_json value: streamed (a placeholder) or inline text.
ResponseImage image_from_value(const std::string &value, StreamedImages *streamed) {
    ResponseImage image;
    const std::string prefix = B64JsonScanner::kPlaceholderPrefix;
    if (streamed && value.compare(0, prefix.size(), prefix) == 0) {
        size_t k = 0;
        try {
            k = std::stoul(value.substr(prefix.size()));
        } catch (const std::exception &) {
            unusable("the image's base64 is broken");
        }
        if (k >= streamed->size() || !(*streamed)[k])
            unusable("the image's base64 is broken");
        StreamedImage &s = *(*streamed)[k];
        if (!s.base64_error().empty())
            unusable("the image's base64 is broken (" + s.base64_error() + ")");
        image.decoded = s.decoded();
        if (image.decoded)
            image.rgba = s.take_rgba();
        image.bytes = s.take_encoded();
        (*streamed)[k].reset();
        return image;
    }
    std::string_view text = strip_data_url_prefix(value);
    try {
        std::vector<uint8_t> bytes = base64_decode(text);
        image.bytes.assign(bytes.begin(), bytes.end());
    } catch (const Error &e) {
        unusable(std::string("the image's base64 is broken (") + e.what() + ")");
    }
    return image;
}

nlohmann::json parse_answer(const std::string &body) {
    // nlohmann skips leading whitespace (heartbeats) and unescapes \/ and \n for us.
    nlohmann::json json = parse_json_leniently(body);
    if (json.is_discarded())
        unusable("it is not JSON (starts with \"" + printable_excerpt(body, 80) + "\")");
    if (!json.is_object())
        unusable("it is not a JSON object");
    return json;
}

} // namespace

bool reports_error(const nlohmann::json &answer) {
    auto error = answer.find("error");
    if (error == answer.end())
        return false;
    if (error->is_object() || error->is_array() || error->is_string())
        return !error->empty() && !(error->is_string() && error->get_ref<const std::string &>().empty());
    return error->is_boolean() ? error->get<bool>() : !error->is_null();
}

namespace {

// An answer that brought an image is kept (it is billed): its error only becomes a warning.
// Without an image, the error is the answer.
void check_error(const nlohmann::json &answer, const std::string &body, bool has_image,
                 std::vector<std::string> *warnings) {
    if (!reports_error(answer))
        return;
    ErrorInfo info = error_from_body(200, body);
    if (!has_image)
        throw Error(info);
    warnings->push_back("the gateway sent an image and also an error; the image is kept. " + info.message);
}

bool has_image_value(const nlohmann::json &item) {
    if (!item.is_object())
        return false;
    auto b64 = item.find("b64_json");
    auto url = item.find("url");
    return (b64 != item.end() && b64->is_string() && !b64->get_ref<const std::string &>().empty()) ||
           (url != item.end() && url->is_string());
}

ImagesResponse read_answer(const std::string &body, StreamedImages *streamed) {
    nlohmann::json json = parse_answer(body);
    ImagesResponse response;
    auto data = json.find("data");
    const bool has_image = data != json.end() && data->is_array() &&
                           std::any_of(data->begin(), data->end(), has_image_value);
    check_error(json, body, has_image, &response.warnings);
    if (data == json.end() || !data->is_array())
        unusable("it has no \"data\" array");
    if (data->empty())
        unusable("\"data\" is empty: the server sent no image");

    for (const auto &item : *data) {
        if (!item.is_object())
            unusable("an item of \"data\" is not an object");
        auto b64 = item.find("b64_json");
        if (b64 != item.end() && b64->is_string() && !b64->get_ref<const std::string &>().empty()) {
            response.images.push_back(image_from_value(b64->get_ref<const std::string &>(), streamed));
        } else if (auto url = item.find("url"); url != item.end() && url->is_string()) {
            ResponseImage image;
            image.url = url->get<std::string>();
            response.images.push_back(std::move(image));
        } else {
            unusable("an item of \"data\" has neither b64_json nor url");
        }
    }
    if (auto usage = json.find("usage"); usage != json.end() && usage->is_object())
        response.usage = *usage;
    return response;
}

} // namespace

ImagesResponse read_images_response(const std::string &body) { return read_answer(body, nullptr); }

ImagesResponse read_images_response(const std::string &skeleton, StreamedImages &images) {
    return read_answer(skeleton, &images);
}

EventImage read_event_image(const std::string &skeleton, StreamedImages &images) {
    EventImage out;
    out.event = parse_answer(skeleton);
    auto b64 = out.event.find("b64_json");
    const bool has_image = b64 != out.event.end() && b64->is_string() && !b64->get_ref<const std::string &>().empty();
    check_error(out.event, skeleton, has_image, &out.warnings);
    if (!has_image)
        unusable("an image event has no b64_json");
    out.image = image_from_value(b64->get_ref<const std::string &>(), &images);
    out.event.erase("b64_json");
    return out;
}

} // namespace pictor
