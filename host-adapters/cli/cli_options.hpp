// The options of the image commands (generate, edit, inpaint): parsing, local validation, help text.
// Everything checked here is refused before a client or a request exists, so a typo never
// costs a paid request.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <pictor/pictor.h>

namespace pictor_cli {

enum class ImageCommand { generate, edit, inpaint };

struct ImageOptions {
    std::string prompt;
    std::string output;                     // -o FILE
    std::optional<std::string> profile;     // unset: the library resolves it (env, config file)
    std::optional<std::string> base_url;
    std::optional<std::string> model;
    std::optional<std::string> size;        // "auto" or "WxH" (lowercase x)
    std::optional<std::string> quality;
    std::optional<std::string> format;      // asked from the server
    std::optional<std::string> background;
    std::optional<std::string> moderation;
    int compression = -1;                   // -1: not sent
    int partials = 0;                       // --partials: previews asked for (0-3)
    std::string save_partials;              // --save-partials DIR; "" = not written
    int count = 1;                          // -n
    double timeout_s = 0;                   // 0: the library's default by quality
    double max_cost_usd = 0;                // --max-cost; 0: the config's max_cost_usd, if any
    std::optional<std::string> upload_quality; // --upload-quality lossless|fast; unset: lossless
    bool keep_uploads = false;              // --keep-uploads: refuse files over the route's limit
    bool abandon_on_cancel = false;         // --abandon-on-cancel: Ctrl-C stops the request too
    bool json = false;
    bool verbose = false;
    std::vector<std::string> images;        // edit: --image, in order; inpaint: exactly one
    std::optional<std::string> mask;        // edit: --mask
    std::optional<std::string> markup;      // edit: --markup (a transparent overlay; never with --mask)
    std::optional<std::string> complexity;  // --complexity, as the model's entry names it
    // --param NAME=VALUE, in order: the name and the value as JSON text (3, true, "x", {...}).
    std::vector<std::pair<std::string, std::string>> params;
    std::optional<std::string> selection;   // inpaint: --selection (grayscale, or alpha)
    std::optional<std::string> layer_out;   // inpaint: --layer-out (the new layer, RGBA)
    int grow_px = -1;                       // inpaint: -1 = the library's default
    int feather_px = -1;
    int context_px = -1;
};

struct ParsedImageOptions {
    ImageOptions options;
    bool help = false;   // -h / --help was given: print the help, do nothing else
    std::string error;   // non-empty: a usage error, one line without the "pictor: " prefix
};

// An unset option as the NULL the library reads as "resolve it yourself".
inline const char *or_null(const std::optional<std::string> &value) {
    return value ? value->c_str() : nullptr;
}

ParsedImageOptions parse_image_options(const std::vector<std::string> &args, ImageCommand command);

// The one-line synopsis ("usage: pictor generate PROMPT -o FILE [options]") plus a pointer to
// --help, printed after a usage error.
std::string image_command_usage(ImageCommand command);
// The whole --help text.
std::string image_command_help(ImageCommand command);

// The request fields every command takes from its options (prompt, size, quality, format,
// compression, background, moderation, count, timeout, cost cap), set on an initialised request.
void fill_request_fields(const ImageOptions &options, pictor_request *request);

} // namespace pictor_cli
