#include "cli_options.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>
#include <pictor/pictor.h>

namespace pictor_cli {

namespace {

constexpr int kMaxCount = 10;  // the Images API's own limit on n

// Returns "" when `value` is one of `allowed`, else the message for `option`.
std::string check_one_of(const char *option, const std::string &value,
                         std::initializer_list<const char *> allowed) {
    std::string list;
    size_t i = 0;
    for (const char *word : allowed) {
        if (value == word) return "";
        if (i > 0) list += (i + 1 == allowed.size()) ? " or " : ", ";
        list += word;
        ++i;
    }
    return std::string(option) + " must be " + list + ", not '" + value + "'";
}

bool parse_int(const std::string &text, long min, long max, int *out) {
    if (text.empty() || text.size() > 9) return false;
    for (char c : text)
        if (c < '0' || c > '9') return false;
    long value = std::strtol(text.c_str(), nullptr, 10);
    if (value < min || value > max) return false;
    *out = static_cast<int>(value);
    return true;
}

bool is_positive_int_text(const std::string &text) {
    if (text.empty() || text.size() > 5 || text[0] == '0') return false;
    for (char c : text)
        if (c < '0' || c > '9') return false;
    return true;
}

// "auto" or WIDTHxHEIGHT. Which sizes a route accepts is the library's business (it knows the
// profile); here only the spelling, normalised to the lowercase x the gateways require.
std::optional<std::string> normalise_size(const std::string &text) {
    if (text == "auto") return text;
    size_t x = text.find_first_of("xX");
    if (x == std::string::npos) return std::nullopt;
    std::string width = text.substr(0, x), height = text.substr(x + 1);
    if (!is_positive_int_text(width) || !is_positive_int_text(height)) return std::nullopt;
    return width + "x" + height;
}

using Apply = std::string (*)(ImageOptions &, const std::string &value);

// --param NAME=VALUE: VALUE read as JSON where it is JSON (3, true, "x", {"a": 1}), else as a
// string (x), so a script can send any type and a person need not quote words.
std::string parse_param(const std::string &text, ImageOptions &options) {
    const size_t eq = text.find('=');
    if (eq == std::string::npos || eq == 0)
        return "--param must be NAME=VALUE (e.g. --param complexity=high), not '" + text + "'";
    const std::string value = text.substr(eq + 1);
    nlohmann::json typed = nlohmann::json::parse(value, nullptr, false);
    if (typed.is_discarded()) typed = value;
    options.params.emplace_back(text.substr(0, eq), typed.dump());
    return "";
}

constexpr unsigned kGenerate = 1, kEdit = 2, kInpaint = 4, kAnyCommand = kGenerate | kEdit | kInpaint;

unsigned command_bit(ImageCommand command) {
    switch (command) {
    case ImageCommand::generate: return kGenerate;
    case ImageCommand::edit: return kEdit;
    case ImageCommand::inpaint: return kInpaint;
    }
    return 0;
}

// The library's limits and defaults, read once.
const pictor_limits &limits() {
    static const pictor_limits read = [] {
        pictor_limits l;
        pictor_get_limits(&l);
        return l;
    }();
    return read;
}

// --grow / --feather / --context: whole pixels within the library's limits.
std::string parse_pixels(const char *option, const std::string &value, long max, int *out) {
    if (!parse_int(value, 0, max, out))
        return std::string(option) + " must be a whole number of pixels from 0 to " + std::to_string(max) +
               ", not '" + value + "'";
    return "";
}

// A finite number above 0 ("--timeout must be a number of seconds above 0, not 'x'").
std::string parse_positive(const char *option, const std::string &value, const char *what, double *out) {
    char *end = nullptr;
    errno = 0;
    double number = std::strtod(value.c_str(), &end);
    if (value.empty() || *end != '\0' || errno != 0 || !std::isfinite(number) || number <= 0)
        return std::string(option) + " must be " + what + " above 0, not '" + value + "'";
    *out = number;
    return "";
}

struct OptionSpec {
    const char *long_name;   // "--size"
    char short_name;         // 'n', or 0
    const char *value_name;  // nullptr: a flag without a value
    unsigned commands;       // which commands take it: kGenerate | kEdit | kInpaint
    const char *help;        // lines after the first are indented under it
    Apply apply;
};

const OptionSpec kOptions[] = {
    {"--output", 'o', "FILE", kAnyCommand,
     "where to write the image; with -n 3: FILE-1.png,\n"
     "FILE-2.png, FILE-3.png. The extension (.png .jpg\n"
     ".jpeg .webp) picks the file's format: the image is\n"
     "converted when the server sent another one. -o -:\n"
     "the image on stdout",
     [](ImageOptions &o, const std::string &v) -> std::string {
         if (v.empty()) return "-o needs a file name";
         o.output = v;
         return "";
     }},
    {"--image", 0, "FILE", kEdit,
     "an input image (PNG, JPEG or WebP); repeat for up\n"
     "to {max_edit_images}; the mask applies to the first one",
     [](ImageOptions &o, const std::string &v) -> std::string {
         o.images.push_back(v);
         return "";
     }},
    {"--image", 0, "FILE", kInpaint, "the picture to repaint (PNG, JPEG or WebP)",
     [](ImageOptions &o, const std::string &v) -> std::string {
         o.images.push_back(v);
         return "";
     }},
    {"--mask", 0, "FILE", kEdit,
     "a PNG with alpha, the size of the first image;\n"
     "its transparent part is what gets repainted",
     [](ImageOptions &o, const std::string &v) -> std::string {
         o.mask = v;
         return "";
     }},
    {"--markup", 0, "FILE", kEdit,
     "a PNG with alpha, the size of the first image:\n"
     "transparent but for what you drew (arrows, notes)\n"
     "to say what to change; only for models whose\n"
     "profile entry takes markup; never with --mask",
     [](ImageOptions &o, const std::string &v) -> std::string {
         o.markup = v;
         return "";
     }},
    {"--selection", 0, "FILE", kInpaint,
     "what to repaint, the size of --image: a grayscale\n"
     "image (255 = selected, soft in between), or an\n"
     "image whose alpha channel is the selection",
     [](ImageOptions &o, const std::string &v) -> std::string {
         o.selection = v;
         return "";
     }},
    {"--layer-out", 0, "FILE", kInpaint,
     "also write the new layer: the model's pixels with\n"
     "the feathered selection as alpha, transparent\n"
     "elsewhere, the size of --image",
     [](ImageOptions &o, const std::string &v) -> std::string {
         if (v.empty()) return "--layer-out needs a file name";
         o.layer_out = v;
         return "";
     }},
    {"--grow", 0, "PX", kInpaint, "grow the selection by PX pixels (default {default_grow_px})",
     [](ImageOptions &o, const std::string &v) -> std::string {
         return parse_pixels("--grow", v, limits().max_grow_px, &o.grow_px);
     }},
    {"--feather", 0, "PX", kInpaint, "soften its edge over PX pixels (default {default_feather_px})",
     [](ImageOptions &o, const std::string &v) -> std::string {
         return parse_pixels("--feather", v, limits().max_feather_px, &o.feather_px);
     }},
    {"--context", 0, "PX", kInpaint,
     "send PX pixels of picture around it (default {default_context_px})",
     [](ImageOptions &o, const std::string &v) -> std::string {
         return parse_pixels("--context", v, limits().max_context_px, &o.context_px);
     }},
    {"--count", 'n', "COUNT", kAnyCommand,
     "how many images, 1-{max_count} (default 1); a route that\n"
     "makes one per request gets COUNT requests at once,\n"
     "each billed",
     [](ImageOptions &o, const std::string &v) -> std::string {
         if (!parse_int(v, 1, kMaxCount, &o.count))
             return "-n must be a whole number from 1 to " + std::to_string(kMaxCount) + ", not '" + v + "'";
         return "";
     }},
    {"--profile", 0, "NAME", kAnyCommand,
     "the gateway: openai, apiyi, apiyi-vip, laozhang,\n"
     "ruoli, ... (default: $PICTOR_PROFILE, the config\n"
     "file, else openai)",
     [](ImageOptions &o, const std::string &v) -> std::string {
         o.profile = v;
         return "";
     }},
    {"--base-url", 0, "URL", kAnyCommand,
     "the gateway's base URL (default: $PICTOR_BASE_URL,\n"
     "else the profile's)",
     [](ImageOptions &o, const std::string &v) -> std::string {
         o.base_url = v;
         return "";
     }},
    {"--model", 0, "ID", kAnyCommand,
     "one of the models the profile lists ('pictor\n"
     "models'); default: the profile's first",
     [](ImageOptions &o, const std::string &v) -> std::string {
         o.model = v;
         return "";
     }},
    {"--size", 0, "WxH|auto", kGenerate | kEdit, // inpaint: the selection decides
     "e.g. 1024x1024, 1536x1024, 3840x2160 or auto; the\n"
     "profile knows which sizes its route accepts",
     [](ImageOptions &o, const std::string &v) -> std::string {
         o.size = normalise_size(v);
         if (!o.size) return "--size must be WIDTHxHEIGHT (e.g. 1024x1024) or auto, not '" + v + "'";
         return "";
     }},
    // Which values a model takes is its profile entry's business (the library checks it).
    {"--quality", 0, "Q", kAnyCommand,
     "low, medium, high, auto, or what the model's entry\n"
     "lists (e.g. xhigh); see 'pictor models'",
     [](ImageOptions &o, const std::string &v) -> std::string {
         if (v.empty()) return "--quality needs a value such as high";
         o.quality = v;
         return "";
     }},
    {"--complexity", 0, "C", kAnyCommand,
     "for models whose entry lists complexities (e.g.\n"
     "low, medium, high); see 'pictor models'",
     [](ImageOptions &o, const std::string &v) -> std::string {
         if (v.empty()) return "--complexity needs a value such as high";
         o.complexity = v;
         return "";
     }},
    {"--format", 0, "F", kAnyCommand,
     "png (default), jpeg, webp, or what the model's\n"
     "entry lists: what the server sends",
     [](ImageOptions &o, const std::string &v) -> std::string {
         if (v.empty()) return "--format needs a value such as png";
         o.format = v;
         return "";
     }},
    {"--param", 0, "NAME=VALUE", kAnyCommand,
     "send a field pictor does not know, as given;\n"
     "VALUE is JSON where it reads as JSON (3, true,\n"
     "{...}), else text. Repeatable. pictor cannot check\n"
     "it: the route may reject it or bill it; profiles\n"
     "that forbid unknown fields refuse it before sending",
     [](ImageOptions &o, const std::string &v) { return parse_param(v, o); }},
    {"--compression", 0, "0-100", kAnyCommand,
     "jpeg / webp compression asked from the server\n"
     "(needs --format jpeg or webp); the same figure\n"
     "when the image is converted for -o",
     [](ImageOptions &o, const std::string &v) -> std::string {
         if (!parse_int(v, 0, 100, &o.compression))
             return "--compression must be a whole number from 0 to 100, not '" + v + "'";
         return "";
     }},
    {"--partials", 0, "N", kAnyCommand,
     "ask for N previews (0-{max_partial_images}) while the image generates;\n"
     "routes that stream send them (each costs ~100\n"
     "output tokens)",
     [](ImageOptions &o, const std::string &v) -> std::string {
         if (!parse_int(v, 0, limits().max_partial_images, &o.partials))
             return "--partials must be a whole number from 0 to " + std::to_string(limits().max_partial_images) +
                    ", not '" + v + "'";
         return "";
     }},
    {"--save-partials", 0, "DIR", kAnyCommand,
     "write the previews as DIR/partial-<index>.png\n"
     "(needs --partials)",
     [](ImageOptions &o, const std::string &v) -> std::string {
         if (v.empty()) return "--save-partials needs a folder name";
         o.save_partials = v;
         return "";
     }},
    {"--background", 0, "B", kAnyCommand, "auto, opaque or transparent",
     [](ImageOptions &o, const std::string &v) -> std::string {
         o.background = v;
         return check_one_of("--background", v, {"auto", "opaque", "transparent"});
     }},
    // Generations only: the edit form has no moderation field.
    {"--moderation", 0, "M", kGenerate, "auto or low",
     [](ImageOptions &o, const std::string &v) -> std::string {
         o.moderation = v;
         return check_one_of("--moderation", v, {"auto", "low"});
     }},
    {"--timeout", 0, "S", kAnyCommand,
     "give up after S seconds (default by quality: low\n"
     "120, medium 240, high and auto 600)",
     [](ImageOptions &o, const std::string &v) {
         return parse_positive("--timeout", v, "a number of seconds", &o.timeout_s);
     }},
    {"--max-cost", 0, "USD", kAnyCommand,
     "refuse, before sending, a request whose estimate\n"
     "is above USD dollars (default: max_cost_usd in\nthe config file, else no limit)",
     [](ImageOptions &o, const std::string &v) {
         return parse_positive("--max-cost", v, "an amount of US dollars (such as 0.50)", &o.max_cost_usd);
     }},
    {"--upload-quality", 0, "Q", kEdit | kInpaint,
     "lossless (default): PNG when it fits the route,\n"
     "else visually lossless JPEG / lossless WebP, else\n"
     "scaled down; fast: that JPEG / WebP even when PNG\n"
     "fits (about 1/5 of the bytes)",
     [](ImageOptions &o, const std::string &v) -> std::string {
         o.upload_quality = v;
         return check_one_of("--upload-quality", v, {"lossless", "fast"});
     }},
    {"--abandon-on-cancel", 0, nullptr, kGenerate | kEdit,
     "on Ctrl-C, stop the request too (it may still be\n"
     "billed; default: stop waiting, and the image the\n"
     "request brings lands in history, not yet delivered)",
     [](ImageOptions &o, const std::string &) -> std::string {
         o.abandon_on_cancel = true;
         return "";
     }},
    {"--keep-uploads", 0, nullptr, kEdit,
     "send the --image files as they are and refuse one\n"
     "over the route's limit per image (default:\n"
     "re-encode it to fit, with a warning)",
     [](ImageOptions &o, const std::string &) -> std::string {
         o.keep_uploads = true;
         return "";
     }},
    {"--json", 0, nullptr, kAnyCommand,
     "print one JSON object on stdout: files, history,\n"
     "usage, cost, request ids (or the error)",
     [](ImageOptions &o, const std::string &) -> std::string {
         o.json = true;
         return "";
     }},
    {"--verbose", 0, nullptr, kAnyCommand, "print the library's trace on stderr (without the\n"
     "API key)",
     [](ImageOptions &o, const std::string &) -> std::string {
         o.verbose = true;
         return "";
     }},
};

// An option's help with its numbers filled in from their owners ("{default_grow_px}": the
// library's limits), so a changed limit changes the text.
std::string with_numbers(const char *help) {
    const std::pair<const char *, long long> numbers[] = {
        {"{max_edit_images}", limits().max_edit_images},
        {"{default_grow_px}", limits().default_grow_px},
        {"{default_feather_px}", limits().default_feather_px},
        {"{default_context_px}", limits().default_context_px},
        {"{max_count}", kMaxCount},
        {"{max_partial_images}", limits().max_partial_images},
    };
    std::string text = help;
    for (const auto &[name, value] : numbers)
        for (size_t at = text.find(name); at != std::string::npos; at = text.find(name, at))
            text.replace(at, std::strlen(name), std::to_string(value));
    return text;
}

const OptionSpec *find_long(const std::string &name, ImageCommand command) {
    for (const OptionSpec &spec : kOptions)
        if (name == spec.long_name && (spec.commands & command_bit(command))) return &spec;
    return nullptr;
}

const OptionSpec *find_short(char name, ImageCommand command) {
    for (const OptionSpec &spec : kOptions)
        if (spec.short_name == name && (spec.commands & command_bit(command))) return &spec;
    return nullptr;
}

bool is_help(const std::string &arg) { return arg == "-h" || arg == "--help"; }

const char *command_name(ImageCommand command) {
    switch (command) {
    case ImageCommand::edit: return "edit";
    case ImageCommand::inpaint: return "inpaint";
    case ImageCommand::generate: break;
    }
    return "generate";
}

const char *synopsis(ImageCommand command) {
    if (command == ImageCommand::inpaint)
        return "usage: pictor inpaint PROMPT --image FILE --selection FILE -o FILE\n"
               "                      [--layer-out FILE] [--grow PX] [--feather PX]\n"
               "                      [--context PX] [options]\n";
    return command == ImageCommand::edit
               ? "usage: pictor edit PROMPT --image FILE [--image FILE]...\n"
                 "                   [--mask FILE | --markup FILE] -o FILE [options]\n"
               : "usage: pictor generate PROMPT -o FILE [options]\n";
}

// Fills `options`; returns the first usage error, or "". --help was handled before.
std::string parse_into(const std::vector<std::string> &args, ImageCommand command,
                       ImageOptions &options) {
    bool positional_only = false;
    bool have_prompt = false;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string &arg = args[i];
        const bool is_option = !positional_only && arg.size() > 1 && arg[0] == '-';
        if (!is_option) {
            if (have_prompt)
                return "unexpected argument '" + arg + "': give one PROMPT, in quotes if it has spaces";
            options.prompt = arg;
            have_prompt = true;
            continue;
        }
        if (arg == "--") {
            positional_only = true;
            continue;
        }

        const OptionSpec *spec = nullptr;
        std::string value;
        bool has_inline_value = false;
        if (arg[1] == '-') {
            // --name or --name=value
            size_t eq = arg.find('=');
            spec = find_long(arg.substr(0, eq), command);
            if (!spec) return "unknown option " + arg.substr(0, eq);
            if (eq != std::string::npos) {
                value = arg.substr(eq + 1);
                has_inline_value = true;
            }
        } else {
            // -o FILE, -oFILE, -n 3, -n3
            spec = find_short(arg[1], command);
            if (!spec) return "unknown option " + arg.substr(0, 2);
            if (arg.size() > 2) {
                value = arg.substr(2);
                has_inline_value = true;
            }
        }
        const std::string shown = spec->short_name && arg[1] != '-'
                                      ? std::string("-") + spec->short_name
                                      : std::string(spec->long_name);
        if (!spec->value_name) {
            if (has_inline_value) return shown + " takes no value";
        } else if (!has_inline_value) {
            // "--size --json" is a forgotten value, not a size; --opt=--odd passes one anyway.
            const bool next_is_option = i + 1 < args.size() && args[i + 1].rfind("--", 0) == 0 &&
                                        args[i + 1].size() > 2;
            if (i + 1 >= args.size() || next_is_option)
                return shown + " needs a value: " + shown + " " + spec->value_name;
            value = args[++i];
        }
        std::string error = spec->apply(options, value);
        if (!error.empty()) return error;
    }

    if (!have_prompt) return "missing PROMPT: say what the image should show, in quotes";
    if (options.prompt.empty()) return "the PROMPT is empty: say what the image should show";
    if (options.output.empty()) return "missing -o FILE: where to write the image";
    if (options.output == "-" && (options.count > 1 || options.json))
        return "-o - writes one image to stdout, so it takes neither -n above 1 nor --json (which "
               "prints on stdout too)";
    if (!options.save_partials.empty() && options.partials == 0)
        return "--save-partials needs --partials N (1-" + std::to_string(limits().max_partial_images) +
               "): how many previews to ask for";
    if (command == ImageCommand::edit && options.images.empty())
        return "edit needs at least one --image FILE";
    if (options.markup && options.mask)
        return "--markup and --mask cannot go together: the markup says what to change, the mask where";
    if (command == ImageCommand::inpaint) {
        if (options.images.size() != 1)
            return "inpaint takes exactly one --image FILE: the picture to repaint";
        if (!options.selection)
            return "inpaint needs --selection FILE: a grayscale image (255 = selected) the size of --image";
    }
    return "";
}

} // namespace

ParsedImageOptions parse_image_options(const std::vector<std::string> &args, ImageCommand command) {
    ParsedImageOptions parsed;
    // --help and --json take effect even next to a mistake: help wins over everything, and a
    // script that asked for JSON gets its usage error as JSON too.
    for (const std::string &arg : args) {
        if (arg == "--") break;
        if (is_help(arg)) parsed.help = true;
        if (arg == "--json") parsed.options.json = true;
    }
    if (parsed.help) return parsed;
    parsed.error = parse_into(args, command, parsed.options);
    return parsed;
}

std::string image_command_usage(ImageCommand command) {
    return std::string(synopsis(command)) + "Run 'pictor " + command_name(command) +
           " --help' for the options.\n";
}

std::string image_command_help(ImageCommand command) {
    std::string text = synopsis(command);
    if (command == ImageCommand::inpaint)
        text += "\nRepaints the selected part of --image as the prompt says (gpt-image-2 edits\n"
                "with a mask): the selection, grown and feathered, is sent with the picture\n"
                "around it at the best size the route accepts, and the result is blended back.\n"
                "-o gets the whole picture; every pixel outside the grown and feathered\n"
                "selection stays exactly as it was.\n";
    else if (command == ImageCommand::edit)
        text += "\nChanges or combines images as the prompt says (gpt-image-2 edits) and writes\n"
                "the result to FILE. With --mask, the mask's transparent part is repainted.\n";
    else
        text += "\nMakes images from a text prompt with gpt-image-2 and writes them to FILE.\n";
    text += "\noptions:\n";
    constexpr size_t kColumn = 26;
    for (const OptionSpec &spec : kOptions) {
        if (!(spec.commands & command_bit(command))) continue;
        std::string left = "  ";
        if (spec.short_name) {
            // -n's long twin (--count) works but stays out of the way; -o, --output both shown.
            left += std::string("-") + spec.short_name;
            if (spec.short_name == 'o') left += std::string(", ") + spec.long_name;
        } else {
            left += spec.long_name;
        }
        if (spec.value_name) left += std::string(" ") + spec.value_name;
        left += "  ";
        if (left.size() < kColumn) left.resize(kColumn, ' ');
        text += left;
        for (char c : with_numbers(spec.help)) {
            text += c;
            if (c == '\n') text += std::string(kColumn, ' ');
        }
        text += '\n';
    }
    text += "  -h, --help              this text\n";
    text +=
        "\n"
        "The API key comes from PICTOR_API_KEY (else OPENAI_API_KEY, else \"api_key\"\n"
        "in $XDG_CONFIG_HOME/pictor/config.json); PICTOR_PROFILE and PICTOR_BASE_URL\n"
        "likewise. Every image received is also kept in the history folder\n"
        "($PICTOR_HISTORY_DIR, else $XDG_DATA_HOME/pictor/history), even when writing\n"
        "FILE fails.\n"
        "\n"
        "Exit status: 0 done; 1 failed, or only some of -n COUNT images arrived (those\n"
        "are written); 2 bad usage, no API key, or refused before sending (nothing is\n"
        "billed); 130 interrupted by Ctrl-C (the server may still bill a request it\n"
        "received).\n";
    return text;
}

void fill_request_fields(const ImageOptions &options, pictor_request *request) {
    request->prompt = options.prompt.c_str();
    request->size = or_null(options.size);
    request->quality = or_null(options.quality);
    request->output_format = or_null(options.format);
    request->output_compression = options.compression;
    request->background = or_null(options.background);
    request->moderation = or_null(options.moderation);
    request->n = options.count;
    request->timeout_s = options.timeout_s;
    request->max_cost_usd = options.max_cost_usd;
}

} // namespace pictor_cli
