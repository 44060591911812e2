// A gateway route's quirks as data (dist/profiles/*.json): what it accepts, what it rejects,
// how it answers. Code asks the profile; it never tests a gateway's name.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "library_limits.hpp"
namespace pictor {

enum class SizeRule {
    custom,  // auto, presets, or any size meeting the custom rules (size_rules.hpp)
    presets, // only the sizes listed (the 7 presets)
    list,    // only the sizes listed (the 30 vip sizes); a size is always sent
    none,    // the route takes no size
};

// How a model's price is known (pricing.hpp reads it; docs/profile-schema.md describes it).
struct ModelPricing {
    std::string kind = "unknown"; // per_image | per_call | unknown (no guess is made)
    double per_call_usd = 0;
    // per_image: quality (ours) -> "WxH" -> US dollars per image. A size not listed is priced
    // as `scale_from`'s price scaled by pixels.
    std::map<std::string, std::map<std::string, double>> per_image_usd;
    std::string scale_from = "1024x1024";
    std::string quality_if_unset = "medium"; // "auto" and no quality are priced as this one
};

// What one model on a route accepts. A profile's top level describes its default model; each
// entry of its "models" list describes another, stating only what differs (merged key by key
// into the default's keys; pricing excepted: a model without its own prices is "unknown").
struct ModelSpec {
    std::string model; // sent as the "model" field
    std::string model_description;
    SizeRule size_rule = SizeRule::custom;
    std::vector<std::string> sizes; // presets / list
    std::string default_size;       // list routes: sent when the caller leaves size open

    // Which request fields the route accepts. A field it does not accept is never sent.
    bool sends_n = true, sends_quality = true, sends_size = true, sends_output_format = true,
         sends_output_compression = true, sends_background = true, sends_moderation = true,
         sends_stream = true;
    std::string response_format; // sent as response_format when non-empty ("b64_json")

    std::map<std::string, std::string> quality_values;    // ours (low/medium/high/xhigh/...) -> route's
    std::map<std::string, std::string> complexity_values; // empty: the field is never sent
    std::vector<std::string> output_formats{"png", "jpeg", "webp"};
    std::vector<std::string> background_values;
    int max_images_per_request = 1;
    // false: fields pictor does not know (pictor_request.extra_fields) are refused before
    // sending, for routes where a stray field is billed or rejected after the wait.
    bool extra_fields_allowed = true;

    bool serves_edits = true;          // false: the route has no /images/edits (RuoLi)
    int max_edit_images = library_limits::max_edit_images;
    uint64_t max_edit_image_bytes = 50ull << 20;
    uint64_t max_mask_bytes = 50ull << 20;
    bool takes_markup = false;         // edits take a "markup" overlay part
    // Edits may start going up before every part is encoded: the route takes a body of unknown
    // length (chunked over HTTP/1.1, plain over HTTP/2). Otherwise the body waits for its length.
    bool chunked_upload = false;

    ModelPricing pricing;

    nlohmann::json to_json() const;
};

struct GatewayProfile : ModelSpec {
    std::string name;
    std::string description;
    std::string base_url;
    std::string default_model;

    // The route answers a moderation block with a bare HTTP 403 (APIYI documents it so), not
    // with a refused key.
    bool forbidden_is_moderation = false;
    // Texts in an error answer that no retry can help (a gateway's "No available channel").
    std::vector<std::string> final_error_texts;
    // A profile to suggest when this route cannot take a size ("" = none).
    std::string sized_alternative;

    std::vector<ModelSpec> models; // every model, the default first

    std::string source_path; // the file it was read from

    // This profile with `model`'s entry as its ModelSpec ("" = the current one). Throws
    // Error(invalid_request) listing the models when the route lists no such model.
    GatewayProfile for_model(const std::string &model) const;
    std::vector<std::string> model_names() const;

    nlohmann::json to_json() const;
};

// The names users give (the keys of quality_values / complexity_values), sorted.
std::vector<std::string> value_names(const std::map<std::string, std::string> &values);

// Throws Error(invalid_request) naming `source` and the field that is wrong. The JSON must be
// resolved already (no "extends"; see ProfileCatalog).
GatewayProfile parse_gateway_profile(const nlohmann::json &json, const std::string &source);

// `overlay` laid over `base`: objects merged key by key (RFC 7396: null removes a key), the
// "models" lists merged by model name (an entry naming a model already listed changes it, one
// naming the default model changes the top level, others are appended). "extends" is dropped.
nlohmann::json overlay_profile(nlohmann::json base, const nlohmann::json &overlay);

// Profiles by name from folders searched in order; the first folder holding NAME.json wins, so
// a user's own file overrides the installed one.
// A file in a profile folder that was not loaded, and why ("a folder, not a file", "not valid
// JSON", ...), so a listing can say what it left out.
struct SkippedProfile {
    std::string file;
    std::string reason;
};

class ProfileCatalog {
public:
    explicit ProfileCatalog(std::vector<std::string> folders);

    // The standard search path: `first` (if non-empty), $PICTOR_PROFILE_DIR,
    // $XDG_CONFIG_HOME/pictor/profiles, share/pictor/profiles beside the library (installed, or
    // the build tree's copy), then the configured install prefix's.
    static ProfileCatalog standard(const std::string &first = "");

    // Throws Error(invalid_request) listing the known names when NAME is not found. A file with
    // "extends": "OTHER" is laid over OTHER (found in the folders after its own when OTHER is
    // its own name, so ~/.config/pictor/profiles/apiyi.json can extend the installed apiyi).
    GatewayProfile find(const std::string &name) const;
    // Sorted by name, overrides applied. Entries that are not profiles (a folder named x.json, a
    // dangling link, a broken file) are left out, each described in *skipped when given.
    std::vector<GatewayProfile> all(std::vector<SkippedProfile> *skipped = nullptr) const;
    // The names of the profile files found (regular files only), sorted.
    std::vector<std::string> names(std::vector<SkippedProfile> *skipped = nullptr) const;

    const std::vector<std::string> &folders() const { return folders_; }

private:
    nlohmann::json resolved_json(const std::string &name, size_t first, int depth, std::string *path) const;

    std::vector<std::string> folders_;
};

} // namespace pictor
