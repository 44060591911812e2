// libFuzzer target: what the multipart builder is given for an edit — image and mask bytes,
// their names, prompt and size — checked against a real profile and built into parts. Every
// file part that is built must carry the type its bytes really are.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "api/gateway_profile.hpp"
#include "api/request_plan.hpp"
#include "error.hpp"
#include "image/image_format.hpp"

namespace {

const pictor::GatewayProfile &openai_profile() {
    static const pictor::GatewayProfile profile = [] {
        std::ifstream in(PICTOR_PROFILES_DIR "/openai.json");
        std::stringstream text;
        text << in.rdbuf();
        return pictor::parse_gateway_profile(nlohmann::json::parse(text.str()), "openai.json");
    }();
    return profile;
}

// Splits the input at each "\xff\xfe" pair: prompt, size, then image buffers (last: the mask).
std::vector<std::string> fields_of(const uint8_t *data, size_t size) {
    std::vector<std::string> fields(1);
    for (size_t i = 0; i < size; ++i) {
        if (i + 1 < size && data[i] == 0xff && data[i + 1] == 0xfe) {
            fields.emplace_back();
            ++i;
        } else {
            fields.back() += char(data[i]);
        }
    }
    return fields;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    std::vector<std::string> fields = fields_of(data, size);
    if (fields.size() < 3 || fields.size() > 20)
        return 0;
    pictor::ImageRequest request;
    request.prompt = fields[0];
    request.size = fields[1];
    bool with_mask = fields.size() > 3 && !fields[0].empty() && (fields[0][0] & 1);
    size_t last = with_mask ? fields.size() - 1 : fields.size();
    for (size_t i = 2; i < last; ++i)
        request.images.push_back({fields[i], i % 2 ? "" : "name-" + std::to_string(i) + ".png"});
    if (with_mask) {
        request.has_mask = true;
        request.mask = {fields.back(), "mask.png"};
    }
    try {
        pictor::RequestPlan plan =
            pictor::plan_request(openai_profile(), "http://127.0.0.1/v1", request, true);
        for (const auto &call : plan.calls)
            for (const auto &part : call.http.multipart) {
                if (part.filename.empty())
                    continue;
                auto format = pictor::sniff_image_format(reinterpret_cast<const uint8_t *>(part.bytes().data()),
                                                         part.bytes().size());
                if (part.content_type != pictor::image_format_mime_type(format))
                    __builtin_trap();
            }
    } catch (const pictor::Error &) {
    }
    return 0;
}
