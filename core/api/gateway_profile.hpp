// A gateway route's quirks as data (dist/profiles/*.json): what it accepts, what it rejects,
// how it answers. Code asks the profile; it never tests a gateway's name.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace pictor {

enum class SizeRule {
    custom,  // auto, presets, or any size meeting the custom rules (size_rules.hpp)
    presets, // only the sizes listed (the 7 presets)
    list,    // only the sizes listed (the 30 vip sizes); a size is always sent
    none,    // the route takes no size
};

struct GatewayProfile {
    std::string name;
    std::string description;
    std::string base_url;
    std::string model;
    SizeRule size_rule = SizeRule::custom;
    std::vector<std::string> sizes; // presets / list
    std::string default_size;       // list routes: sent when the caller leaves size open

    // Which request fields the route accepts. A field it does not accept is never sent.
    bool sends_n = true, sends_quality = true, sends_size = true, sends_output_format = true,
         sends_output_compression = true, sends_background = true, sends_moderation = true,
         sends_stream = true;
    std::string response_format; // sent as response_format when non-empty ("b64_json")

    std::map<std::string, std::string> quality_values; // ours (low/medium/high/auto) -> route's
    std::vector<std::string> background_values;
    int max_images_per_request = 1;

    std::string b64_style = "raw"; // raw | data_url | either — informative; the reader takes all
    bool url_responses = false;
    std::vector<std::string> request_id_headers{"x-request-id", "x-api-request-id"};
    // The route answers a moderation block with a bare HTTP 403 (APIYI documents it so), not
    // with a refused key.
    bool forbidden_is_moderation = false;

    bool serves_edits = true;          // false: the route has no /images/edits (RuoLi)
    int max_edit_images = 16;
    uint64_t max_edit_image_bytes = 50ull << 20;
    uint64_t max_mask_bytes = 50ull << 20;

    std::string pricing_kind = "tokens"; // tokens | per_call
    double per_call_usd = 0;

    std::string source_path; // the file it was read from

    nlohmann::json to_json() const;
};

// Throws Error(invalid_request) naming `source` and the field that is wrong.
GatewayProfile parse_gateway_profile(const nlohmann::json &json, const std::string &source);

// Profiles by name from folders searched in order; the first folder holding NAME.json wins, so
// a user's own file overrides the installed one.
class ProfileCatalog {
public:
    explicit ProfileCatalog(std::vector<std::string> folders);

    // The standard search path: `first` (if non-empty), $PICTOR_PROFILE_DIR,
    // $XDG_CONFIG_HOME/pictor/profiles, share/pictor/profiles beside the library (installed, or
    // the build tree's copy), then the configured install prefix's.
    static ProfileCatalog standard(const std::string &first = "");

    // Throws Error(invalid_request) listing the known names when NAME is not found.
    GatewayProfile find(const std::string &name) const;
    // Sorted by name, overrides applied. Entries that are not profiles (a folder named x.json, a
    // dangling link, a broken file) are left out, each described in *skipped when given.
    std::vector<GatewayProfile> all(std::vector<std::string> *skipped = nullptr) const;
    // The names of the profile files found (regular files only), sorted.
    std::vector<std::string> names(std::vector<std::string> *skipped = nullptr) const;

    const std::vector<std::string> &folders() const { return folders_; }

private:
    std::vector<std::string> folders_;
};

} // namespace pictor
