#include "api/images_response.hpp"

#include <cctype>

#include "api/http_error.hpp"
#include "error.hpp"
#include "image/base64.hpp"

namespace pictor {
namespace {

[[noreturn]] void unusable(const std::string &why) {
    ErrorInfo info;
    info.kind = ErrorKind::bad_response;
    info.message = "the gateway's answer is unusable: " + why +
                   " — check that the base URL points at an OpenAI-compatible /v1 endpoint";
    info.request_sent = true;
    info.may_be_billed = true;
    throw Error(info);
}

} // namespace

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

ImagesResponse read_images_response(const std::string &body) {
    // nlohmann skips leading whitespace (heartbeats) and unescapes \/ and \n for us.
    nlohmann::json json = nlohmann::json::parse(body, nullptr, false);
    if (json.is_discarded())
        unusable("it is not JSON (starts with \"" + printable_excerpt(body, 80) + "\")");
    if (!json.is_object())
        unusable("it is not a JSON object");
    if (auto error = json.find("error"); error != json.end() && !error->is_null())
        throw Error(error_from_body(200, body));

    auto data = json.find("data");
    if (data == json.end() || !data->is_array())
        unusable("it has no \"data\" array");
    if (data->empty())
        unusable("\"data\" is empty: the server sent no image");

    ImagesResponse response;
    for (const auto &item : *data) {
        if (!item.is_object())
            unusable("an item of \"data\" is not an object");
        ResponseImage image;
        auto b64 = item.find("b64_json");
        if (b64 != item.end() && b64->is_string() && !b64->get_ref<const std::string &>().empty()) {
            std::string_view text = strip_data_url_prefix(b64->get_ref<const std::string &>());
            try {
                std::vector<uint8_t> bytes = base64_decode(text);
                image.bytes.assign(bytes.begin(), bytes.end());
            } catch (const Error &e) {
                unusable(std::string("the image's base64 is broken (") + e.what() + ")");
            }
        } else if (auto url = item.find("url"); url != item.end() && url->is_string()) {
            image.url = url->get<std::string>();
        } else {
            unusable("an item of \"data\" has neither b64_json nor url");
        }
        response.images.push_back(std::move(image));
    }
    if (auto usage = json.find("usage"); usage != json.end() && usage->is_object())
        response.usage = *usage;
    return response;
}

} // namespace pictor
