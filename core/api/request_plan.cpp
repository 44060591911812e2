#include "api/request_plan.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <iterator>

#include "api/http_error.hpp"
#include "api/pricing.hpp"
#include "api/upload_plan.hpp"
#include "error.hpp"
#include "image/image_decode.hpp"
#include "library_limits.hpp"

namespace pictor {
namespace {

using library_limits::max_prompt_chars;
constexpr int max_variations = 10;

[[noreturn]] void refuse(const std::string &message) {
    throw Error(ErrorKind::invalid_request, message);
}

size_t utf8_length(const std::string &text) {
    return size_t(std::count_if(text.begin(), text.end(),
                                [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// "10.5 MiB is over 10.0 MiB": one decimal, or bytes when the rounding would make a size
// just over a limit read as equal to it.
std::string size_over_limit(uint64_t size, uint64_t limit) {
    auto mib = [](uint64_t bytes) {
        char text[32];
        std::snprintf(text, sizeof text, "%.1f MiB", double(bytes) / (1024.0 * 1024.0));
        return std::string(text);
    };
    if (mib(size) == mib(limit))
        return std::to_string(size) + " bytes; at most " + std::to_string(limit) + " bytes (" + mib(limit) + ")";
    return mib(size) + "; at most " + mib(limit);
}

// 32000 -> "32,000", as the API's documentation writes it.
std::string with_thousands(uint64_t value) {
    std::string digits = std::to_string(value);
    for (int at = int(digits.size()) - 3; at > 0; at -= 3)
        digits.insert(size_t(at), ",");
    return digits;
}

std::string join(const std::vector<std::string> &items) {
    std::string out;
    for (const auto &item : items)
        out += (out.empty() ? "" : ", ") + item;
    return out;
}

bool one_of(const std::string &value, std::initializer_list<const char *> allowed) {
    return std::any_of(allowed.begin(), allowed.end(), [&](const char *a) { return value == a; });
}

struct Fields {
    std::vector<std::pair<std::string, nlohmann::json>> list;
    void add(const std::string &name, nlohmann::json value) { list.emplace_back(name, std::move(value)); }
};

// The size to send ("" = none) and the size expected back.
std::string choose_size(const GatewayProfile &p, const std::string &asked, ImageSize &expected) {
    bool open = asked.empty() || asked == "auto";
    std::optional<ImageSize> parsed;
    if (!open) {
        parsed = parse_image_size(asked);
        if (!parsed)
            refuse("size \"" + asked + "\" is not WIDTHxHEIGHT (e.g. 1024x1536) or auto");
    }
    switch (p.size_rule) {
    case SizeRule::none:
        if (!open)
            refuse("profile " + p.name + " cannot choose a size (the route ignores or rejects it) — leave "
                   "\"size\" unset" +
                   (p.sized_alternative.empty() ? std::string()
                                                : ", or use a profile with sizes such as " + p.sized_alternative));
        return "";
    case SizeRule::list:
    case SizeRule::presets: {
        std::string size = open ? p.default_size : parsed->text();
        if (size.empty())
            return ""; // presets route left open: the server's default
        if (std::find(p.sizes.begin(), p.sizes.end(), size) == p.sizes.end())
            refuse("size " + asked + " is not offered by profile " + p.name + " — pick one of: " + join(p.sizes));
        expected = *parse_image_size(size);
        return size;
    }
    case SizeRule::custom:
        if (open)
            return asked.empty() ? "" : "auto";
        if (std::string problem = custom_size_problem(*parsed); !problem.empty())
            refuse("size " + asked + " is not valid for gpt-image-2: " + problem +
                   " (presets: " + join(preset_sizes()) + ")");
        expected = *parsed;
        return parsed->text(); // "01024x1024" goes out as 1024x1024
    }
    return "";
}

// The markup overlay: what the user drew on a transparent layer, the size of the first image.
void check_markup(const GatewayProfile &p, const ImageRequest &r, const ImageInfo &first) {
    if (!p.takes_markup)
        refuse("model " + p.model + " on profile " + p.name + " takes no markup (its profile entry says "
               "so) — leave the markup out, or choose a model whose entry has \"markup\": true");
    if (r.has_mask)
        refuse("markup and a mask cannot be sent together — send one of them");
    if (r.markup.size() > p.max_edit_image_bytes)
        refuse("the markup is " + size_over_limit(r.markup.size(), p.max_edit_image_bytes) + " on profile " +
               p.name + " — scale it down");
    ImageInfo info;
    try {
        info = probe_part(r.markup);
    } catch (const Error &e) {
        refuse(std::string("the markup is not an image: ") + e.what());
    }
    if (info.format != ImageFormat::png || !info.has_alpha)
        refuse("the markup must be a PNG with an alpha channel: a transparent overlay with only what "
               "was drawn opaque");
    if (info.width != first.width || info.height != first.height)
        refuse("the markup is " + std::to_string(info.width) + "x" + std::to_string(info.height) +
               " but the first image is " + std::to_string(first.width) + "x" + std::to_string(first.height) +
               " — they must be the same size");
}

// Fields the request sets through its own members; an extra field may not set them around
// the checks.
bool field_pictor_sets(const std::string &name) {
    static const char *const known[] = {"model",  "prompt", "n",          "size",      "quality",
                                        "complexity", "output_format", "output_compression",
                                        "background", "moderation", "stream", "partial_images",
                                        "response_format", "image", "image[]", "mask", "markup"};
    return std::any_of(std::begin(known), std::end(known), [&](const char *k) { return name == k; });
}

void add_extra_fields(const GatewayProfile &p, const ImageRequest &r, Fields &fields) {
    for (const auto &extra : r.extra_fields) {
        const bool printable = !extra.name.empty() && std::all_of(extra.name.begin(), extra.name.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' || c == '[' ||
                   c == ']';
        });
        if (!printable)
            refuse("the extra field name \"" + extra.name + "\" is not a field name (letters, digits, _ - . [ ])");
        if (field_pictor_sets(extra.name))
            refuse("\"" + extra.name + "\" is a field pictor sets and checks itself — set it through the "
                   "request's own " + extra.name + " setting, not as an extra field");
        if (!p.extra_fields_allowed)
            refuse("profile " + p.name + " (model " + p.model + ") takes no fields pictor does not know: on this "
                   "route a stray field can be rejected or billed — remove \"" + extra.name + "\"");
        fields.add(extra.name, extra.value);
    }
}

void check_input_images(const GatewayProfile &p, const ImageRequest &r) {
    if (!p.serves_edits)
        refuse("profile " + p.name + " serves generations only: editing and inpainting need a profile "
               "whose route takes edits (e.g. openai, apiyi, laozhang-official)");
    if (r.images.empty())
        refuse("an edit needs at least one input image");
    if (int(r.images.size()) > p.max_edit_images)
        refuse(std::to_string(r.images.size()) + " images given; profile " + p.name + " takes at most " +
               std::to_string(p.max_edit_images));
    ImageInfo first;
    for (size_t i = 0; i < r.images.size(); ++i) {
        const auto &image = r.images[i];
        // A part pictor is still encoding fits by construction (core/image/upload_encoding); it
        // is checked by its encoder, not here. The first image is always whole.
        if (i > 0 && image.spool && !image.spool->sealed())
            continue;
        std::string label = image.sent_name().empty() ? "image " + std::to_string(i + 1) : image.sent_name();
        // Over the limit is refused only when the send would not re-encode it to fit.
        if (image.size() > p.max_edit_image_bytes && !reencodes_to_fit(p, r, image))
            refuse(label + " is " + size_over_limit(image.size(), p.max_edit_image_bytes) +
                   " per image on profile " + p.name + " — save it as JPEG or scale it down");
        ImageInfo info;
        try {
            info = probe_part(image);
        } catch (const Error &e) {
            refuse(label + " is not a PNG, JPEG or WebP image the gateway accepts: " + e.what() +
                   "; save it as PNG and try again");
        }
        if (i == 0)
            first = info;
    }
    if (r.has_markup)
        check_markup(p, r, first);
    if (!r.has_mask)
        return;
    if (r.mask.size() > p.max_mask_bytes)
        refuse("the mask is " + size_over_limit(r.mask.size(), p.max_mask_bytes) + " on profile " + p.name +
               " — scale it down");
    ImageInfo info;
    try {
        info = probe_part(r.mask);
    } catch (const Error &e) {
        refuse(std::string("the mask is not an image: ") + e.what());
    }
    if (info.format != ImageFormat::png)
        refuse("the mask must be a PNG (it is " + std::string(image_format_name(info.format)) + ")");
    if (!info.has_alpha)
        refuse("the mask has no alpha channel — transparent pixels (alpha 0) mark what to repaint");
    if (info.width != first.width || info.height != first.height)
        refuse("the mask is " + std::to_string(info.width) + "x" + std::to_string(info.height) +
               " but the first image is " + std::to_string(first.width) + "x" + std::to_string(first.height) +
               " — they must be the same size");
}

// The prompt and the number of images, the same for every route.
void check_prompt_and_count(const ImageRequest &r) {
    if (r.prompt.empty())
        refuse("the prompt is empty — describe the image you want");
    // JSON (and so the API) carries only UTF-8; guessing another encoding would change the prompt.
    if (!is_valid_utf8(r.prompt))
        refuse("the prompt is not valid UTF-8 text (was it written in another encoding?) — convert it, "
               "e.g. with iconv, and try again");
    if (utf8_length(r.prompt) > max_prompt_chars)
        refuse("the prompt has " + std::to_string(utf8_length(r.prompt)) + " characters; gpt-image-2 takes at most " +
               with_thousands(max_prompt_chars));
    if (r.n < 1 || r.n > max_variations)
        refuse("the number of images must be between 1 and " + std::to_string(max_variations));
}

// quality and complexity, through the model entry's value maps.
void add_quality_fields(const GatewayProfile &p, const ImageRequest &r, RequestPlan &plan, Fields &fields) {
    if (!r.quality.empty()) {
        plan.quality = r.quality;
        auto mapped = p.quality_values.find(r.quality);
        if (mapped != p.quality_values.end() && p.sends_quality)
            fields.add("quality", mapped->second);
        else if (r.quality != "auto")
            refuse("model " + p.model + " on profile " + p.name + " cannot set quality " + r.quality +
                   (p.quality_values.empty() ? " (the route rejects the field) — leave quality unset or use auto"
                                             : " — use one of the qualities it offers: " +
                                                   join(value_names(p.quality_values))));
    }
    if (!r.complexity.empty()) {
        auto mapped = p.complexity_values.find(r.complexity);
        if (mapped == p.complexity_values.end())
            refuse("model " + p.model + " on profile " + p.name + " cannot set complexity " + r.complexity +
                   (p.complexity_values.empty() ? " (its entry lists no complexity) — leave complexity unset"
                                                : " — use one of: " + join(value_names(p.complexity_values))));
        fields.add("complexity", mapped->second);
    }
}

// output_format, output_compression and background: what the answer's file looks like.
void add_output_fields(const GatewayProfile &p, const ImageRequest &r, Fields &fields) {
    const std::string &format = r.output_format;
    if (!format.empty()) {
        if (!p.sends_output_format) {
            if (format != "png")
                refuse("profile " + p.name + " always answers PNG and rejects output_format — leave the output "
                       "format unset and convert the image locally");
        } else if (std::find(p.output_formats.begin(), p.output_formats.end(), format) == p.output_formats.end()) {
            refuse("model " + p.model + " on profile " + p.name + " does not make " + format +
                   " images — use one of: " + join(p.output_formats));
        } else {
            fields.add("output_format", format);
        }
    }
    if (r.output_compression >= 0) {
        if (r.output_compression > 100)
            refuse("compression must be 0-100");
        if (format != "jpeg" && format != "webp")
            refuse("compression applies to jpeg and webp output only — set \"output_format\" to jpeg or webp");
        if (!p.sends_output_compression)
            refuse("profile " + p.name + " rejects output_compression");
        fields.add("output_compression", r.output_compression);
    }
    if (!r.background.empty()) {
        bool offered = std::find(p.background_values.begin(), p.background_values.end(), r.background) !=
                       p.background_values.end();
        if (p.sends_background && offered)
            fields.add("background", r.background);
        else if (r.background != "auto")
            refuse("profile " + p.name + " does not offer a " + r.background + " background" +
                   (p.background_values.empty() ? "" : " (it offers: " + join(p.background_values) + ")"));
    }
    // JPEG has no alpha: the server would refuse it (after the request went out) or drop it.
    if (r.background == "transparent" && format == "jpeg")
        refuse("a transparent background needs png or webp output; JPEG has no transparency — set "
               "\"output_format\" to png or webp");
}

// moderation, response_format, the extra fields and streaming: the rest of the fields, in order.
void add_remaining_fields(const GatewayProfile &p, const ImageRequest &r, bool edit, Fields &fields) {
    if (!r.moderation.empty()) {
        if (!one_of(r.moderation, {"auto", "low"}))
            refuse("moderation must be auto or low, not \"" + r.moderation + "\"");
        // The multipart edit form has no moderation field: sending it is a 400.
        if (!edit && p.sends_moderation)
            fields.add("moderation", r.moderation);
        else if (r.moderation != "auto")
            refuse(edit ? "moderation cannot be set on edits (the edit form has no such field)"
                        : "profile " + p.name + " rejects the moderation field");
    }
    if (!p.response_format.empty())
        fields.add("response_format", p.response_format);
    add_extra_fields(p, r, fields);
    if (r.partial_images < 0 || r.partial_images > library_limits::max_partial_images)
        refuse("partial_images must be 0-" + std::to_string(library_limits::max_partial_images) + ", not " +
               std::to_string(r.partial_images));
    // Previews need server-sent events; a route that does not stream simply sends none.
    if (r.partial_images > 0 && p.sends_stream) {
        fields.add("stream", true);
        fields.add("partial_images", r.partial_images);
    }
}

std::string checked_base_url(const std::string &base_url) {
    std::string base = base_url;
    while (!base.empty() && base.back() == '/')
        base.pop_back();
    if (base.rfind("http://", 0) != 0 && base.rfind("https://", 0) != 0)
        refuse("the base URL \"" + base + "\" must start with https:// (or http:// for a local gateway)");
    return base;
}

// The multipart form of an edit: the fields, then the images (borrowed from the request), the
// mask and the markup.
void add_edit_form(const ImageRequest &r, const Fields &fields, int per_call, net::HttpRequest &h) {
    for (const auto &[name, value] : fields.list)
        h.multipart.push_back({name, value.is_string() ? value.get<std::string>() : value.dump(), "", ""});
    if (per_call > 1)
        h.multipart.push_back({"n", std::to_string(per_call), "", ""});
    const char *image_field = r.images.size() == 1 ? "image" : "image[]";
    for (size_t i = 0; i < r.images.size(); ++i) {
        const auto &image = r.images[i];
        if (image.spool && !image.spool->sealed()) { // named by its spool once encoded (net::MultipartBody)
            h.multipart.push_back({image_field, "", "", "", &image.bytes, image.spool});
            continue;
        }
        std::string scratch;
        const std::string_view header = image.header(scratch);
        ImageFormat format = sniff_image_format(reinterpret_cast<const uint8_t *>(header.data()), header.size());
        std::string name = image.sent_name().empty()
                               ? "image-" + std::to_string(i + 1) + image_format_extension(format)
                               : image.sent_name();
        h.multipart.push_back({image_field, "", name, image_format_mime_type(format), &image.bytes, image.spool});
    }
    if (r.has_mask)
        h.multipart.push_back({"mask", "", r.mask.filename.empty() ? "mask.png" : r.mask.filename, "image/png",
                               &r.mask.bytes, r.mask.spool});
    if (r.has_markup)
        h.multipart.push_back({"markup", "", r.markup.filename.empty() ? "markup.png" : r.markup.filename,
                               "image/png", &r.markup.bytes, r.markup.spool});
}

// One HTTP call of the plan.
PlannedCall plan_call(const GatewayProfile &p, const ImageRequest &r, const RequestPlan &plan, const Fields &fields,
                      const std::string &base, int per_call, bool edit) {
    PlannedCall call;
    call.images = per_call;
    net::HttpRequest &h = call.http;
    h.url = base + "/images/" + plan.endpoint;
    h.answer_is_final = [texts = p.final_error_texts](const net::HttpResponse &response) {
        return std::any_of(texts.begin(), texts.end(),
                           [&](const std::string &text) { return response.body.find(text) != std::string::npos; });
    };
    h.total_timeout_ms = long(plan.timeout_s * 1000);
    if (!edit) {
        nlohmann::json body = nlohmann::json::object();
        for (const auto &[name, value] : fields.list)
            body[name] = value;
        if (per_call > 1)
            body["n"] = per_call;
        h.body = body.dump();
        h.headers.push_back("Content-Type: application/json");
    } else {
        add_edit_form(r, fields, per_call, h);
        h.stream_unsealed_parts = p.chunked_upload;
    }
    h.headers.push_back("Accept: application/json");
    return call;
}

} // namespace

double timeout_for_quality(const std::string &quality) {
    if (quality == "low")
        return 120;
    if (quality == "medium")
        return 240;
    return 600;
}

RequestPlan plan_request(const GatewayProfile &p, const std::string &base_url, const ImageRequest &r, bool edit) {
    RequestPlan plan;
    plan.model = p;
    plan.endpoint = edit ? "edits" : "generations";

    check_prompt_and_count(r);
    if (edit)
        check_input_images(p, r);
    else if (r.has_markup)
        refuse("markup applies to edits only: send it with the image it marks up");

    Fields fields;
    fields.add("model", p.model);
    fields.add("prompt", r.prompt);
    std::string size = choose_size(p, r.size, plan.expected_size);
    if (!size.empty())
        fields.add("size", size);
    add_quality_fields(p, r, plan, fields);
    add_output_fields(p, r, fields);
    add_remaining_fields(p, r, edit, fields);

    // One call with n when the route takes n that large; else n parallel single-image calls
    // (never n on routes that reject it or bill n times for one image).
    bool one_call = r.n == 1 || (p.sends_n && r.n <= p.max_images_per_request);
    int calls = one_call ? 1 : r.n;
    int per_call = one_call ? r.n : 1;
    plan.images_total = r.n;
    plan.timeout_s = r.timeout_s > 0 ? r.timeout_s : timeout_for_quality(r.quality);
    const std::string base = checked_base_url(base_url);

    nlohmann::json parameters = nlohmann::json::object();
    for (const auto &[name, value] : fields.list)
        if (name != "prompt")
            parameters[name] = value;
    if (per_call > 1)
        parameters["n"] = per_call;
    plan.parameters = parameters;
    plan.cost_usd = estimate_cost_usd(p, plan.expected_size, plan.quality, calls, plan.images_total);

    for (int c = 0; c < calls; ++c)
        plan.calls.push_back(plan_call(p, r, plan, fields, base, per_call, edit));
    return plan;
}

} // namespace pictor
