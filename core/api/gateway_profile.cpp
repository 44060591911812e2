#include "api/gateway_profile.hpp"

#include <dirent.h>
#include <dlfcn.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>

#include "api/size_rules.hpp"
#include "error.hpp"
#include "store/user_dirs.hpp"

namespace pictor {
namespace {

[[noreturn]] void bad_profile(const std::string &source, const std::string &what) {
    throw Error(ErrorKind::invalid_request, "profile " + source + ": " + what +
                                                " — fix the file or remove it (see dist/profiles/ for examples)");
}

bool is_directory(const std::string &path) {
    struct stat info {};
    return stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

// share/pictor/profiles beside the installed library, so a relocated install still finds them.
std::string installed_profiles_dir() {
    Dl_info info{};
    if (dladdr(reinterpret_cast<void *>(&installed_profiles_dir), &info) && info.dli_fname) {
        // The loader's path may run through a symlink (/lib -> /usr/lib on Debian).
        char *real = realpath(info.dli_fname, nullptr);
        std::string lib = real ? real : info.dli_fname;
        std::free(real);
        auto slash = lib.find_last_of('/');
        if (slash != std::string::npos) {
            std::string prefix = lib.substr(0, slash);
            // <prefix>/lib or <prefix>/lib/<multiarch>
            for (int up = 0; up < 2; ++up) {
                auto s = prefix.find_last_of('/');
                if (s == std::string::npos)
                    break;
                prefix = prefix.substr(0, s);
                std::string candidate = prefix + "/share/pictor/profiles";
                if (is_directory(candidate))
                    return candidate;
            }
        }
    }
    return std::string(PICTOR_DATADIR) + "/pictor/profiles";
}

template <typename T>
T get_or(const nlohmann::json &j, const char *key, T fallback, const std::string &source) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null())
        return fallback;
    try {
        return it->get<T>();
    } catch (const nlohmann::json::exception &) {
        bad_profile(source, std::string("field \"") + key + "\" has the wrong type");
    }
}


const char *size_rule_name(SizeRule rule) {
    static const char *rules[] = {"custom", "presets", "list", "none"};
    return rules[int(rule)];
}


// The keys a model entry may state; the rest of a profile is the route's.
const char *const model_keys[] = {"description", "size_rule", "sizes", "default_size", "fields",
                                  "quality_values", "complexity_values", "output_formats",
                                  "background_values", "max_images_per_request", "extra_fields",
                                  "edits", "pricing"};

ModelPricing parse_pricing(const nlohmann::json &pr, const std::string &source) {
    ModelPricing pricing;
    if (!pr.is_object())
        bad_profile(source, "\"pricing\" must be an object");
    pricing.kind = get_or<std::string>(pr, "kind", "unknown", source);
    if (pricing.kind == "per_call") {
        pricing.per_call_usd = get_or<double>(pr, "usd", -1.0, source);
        if (pricing.per_call_usd < 0)
            bad_profile(source, "pricing kind per_call needs \"usd\", the price of one call");
    } else if (pricing.kind == "per_image") {
        pricing.per_image_usd =
            get_or<std::map<std::string, std::map<std::string, double>>>(pr, "per_image_usd", {}, source);
        pricing.scale_from = get_or<std::string>(pr, "scale_from", pricing.scale_from, source);
        pricing.quality_if_unset = get_or<std::string>(pr, "quality_if_unset", pricing.quality_if_unset, source);
        if (!parse_image_size(pricing.scale_from))
            bad_profile(source, "pricing.scale_from must be WIDTHxHEIGHT, not \"" + pricing.scale_from + "\"");
        if (pricing.per_image_usd.empty())
            bad_profile(source, "pricing kind per_image needs \"per_image_usd\" {quality: {\"WxH\": usd}}");
    } else if (pricing.kind != "unknown") {
        bad_profile(source, "pricing.kind must be per_image, per_call or unknown, not \"" + pricing.kind + "\"");
    }
    return pricing;
}

// One model's entry (the profile's top level for the default model).
ModelSpec parse_model(const nlohmann::json &j, const std::string &source) {
    ModelSpec m;
    m.model = get_or<std::string>(j, "model", "", source);
    if (m.model.empty())
        bad_profile(source, "every model needs a \"model\" name");
    m.model_description = get_or<std::string>(j, "description", "", source);
    std::string rule = get_or<std::string>(j, "size_rule", "custom", source);
    if (rule == "custom")
        m.size_rule = SizeRule::custom;
    else if (rule == "presets")
        m.size_rule = SizeRule::presets;
    else if (rule == "list")
        m.size_rule = SizeRule::list;
    else if (rule == "none")
        m.size_rule = SizeRule::none;
    else
        bad_profile(source, "size_rule must be custom, presets, list or none, not \"" + rule + "\"");
    m.sizes = get_or<std::vector<std::string>>(j, "sizes", {}, source);
    m.default_size = get_or<std::string>(j, "default_size", "", source);
    if ((m.size_rule == SizeRule::presets || m.size_rule == SizeRule::list) && m.sizes.empty())
        bad_profile(source, "size_rule \"" + rule + "\" needs a \"sizes\" list");

    if (auto f = j.find("fields"); f != j.end()) {
        if (!f->is_object())
            bad_profile(source, "\"fields\" must be an object");
        m.sends_n = get_or<bool>(*f, "n", true, source);
        m.sends_quality = get_or<bool>(*f, "quality", true, source);
        m.sends_size = get_or<bool>(*f, "size", true, source);
        m.sends_output_format = get_or<bool>(*f, "output_format", true, source);
        m.sends_output_compression = get_or<bool>(*f, "output_compression", true, source);
        m.sends_background = get_or<bool>(*f, "background", true, source);
        m.sends_moderation = get_or<bool>(*f, "moderation", true, source);
        m.sends_stream = get_or<bool>(*f, "stream", true, source);
        if (auto rf = f->find("response_format"); rf != f->end() && rf->is_string())
            m.response_format = rf->get<std::string>();
    }
    if (m.size_rule == SizeRule::none)
        m.sends_size = false;
    m.quality_values = get_or<std::map<std::string, std::string>>(j, "quality_values", {}, source);
    if (m.quality_values.empty())
        m.sends_quality = false;
    m.complexity_values = get_or<std::map<std::string, std::string>>(j, "complexity_values", {}, source);
    m.output_formats = get_or<std::vector<std::string>>(j, "output_formats", m.output_formats, source);
    m.background_values = get_or<std::vector<std::string>>(j, "background_values", {}, source);
    m.max_images_per_request = get_or<int>(j, "max_images_per_request", 1, source);
    if (m.max_images_per_request < 1)
        bad_profile(source, "max_images_per_request must be at least 1");
    std::string extra = get_or<std::string>(j, "extra_fields", "allow", source);
    if (extra != "allow" && extra != "forbid")
        bad_profile(source, "extra_fields must be allow or forbid, not \"" + extra + "\"");
    m.extra_fields_allowed = extra == "allow";

    if (auto e = j.find("edits"); e != j.end() && e->is_object()) {
        // Read as signed, so -1 is an error rather than "no limit" after wrapping around.
        auto positive = [&](const char *field, int64_t fallback) {
            int64_t value = get_or<int64_t>(*e, field, fallback, source);
            if (value < 1)
                bad_profile(source, std::string("edits.") + field + " must be at least 1");
            return value;
        };
        m.serves_edits = get_or<bool>(*e, "served", true, source);
        m.max_edit_images = int(positive("max_images", library_limits::max_edit_images));
        m.max_edit_image_bytes = uint64_t(positive("max_image_bytes", int64_t(m.max_edit_image_bytes)));
        m.max_mask_bytes = uint64_t(positive("max_mask_bytes", int64_t(m.max_mask_bytes)));
        m.takes_markup = get_or<bool>(*e, "markup", false, source);
        m.chunked_upload = get_or<bool>(*e, "chunked_upload", m.chunked_upload, source);
    }
    if (auto pr = j.find("pricing"); pr != j.end() && !pr->is_null())
        m.pricing = parse_pricing(*pr, source);
    return m;
}

} // namespace

std::vector<std::string> value_names(const std::map<std::string, std::string> &values) {
    std::vector<std::string> names;
    for (const auto &[ours, theirs] : values)
        names.push_back(ours);
    return names;
}

nlohmann::json ModelSpec::to_json() const {
    return {
        {"model", model},
        {"description", model_description},
        {"size_rule", size_rule_name(size_rule)},
        {"sizes", sizes},
        // What a dialog offers in its size list: the listed sizes, else on a custom-size route
        // the API's presets (one list, here, for every host).
        {"suggested_sizes", !sizes.empty() || size_rule != SizeRule::custom ? sizes : preset_sizes()},
        {"default_size", default_size},
        {"qualities", value_names(quality_values)},
        {"quality_values", quality_values},
        {"complexities", value_names(complexity_values)},
        {"complexity_values", complexity_values},
        {"output_formats", sends_output_format ? output_formats : std::vector<std::string>{"png"}},
        {"background_values", background_values},
        {"max_images_per_request", max_images_per_request},
        {"extra_fields", extra_fields_allowed ? "allow" : "forbid"},
        {"serves_edits", serves_edits},
        {"max_edit_images", max_edit_images},
        {"max_edit_image_bytes", max_edit_image_bytes},
        {"max_mask_bytes", max_mask_bytes},
        {"markup", takes_markup},
        {"chunked_upload", chunked_upload},
        {"fields",
         {{"n", sends_n},
          {"quality", sends_quality},
          {"size", sends_size},
          {"output_format", sends_output_format},
          {"output_compression", sends_output_compression},
          {"background", sends_background},
          {"moderation", sends_moderation},
          {"stream", sends_stream},
          {"complexity", !complexity_values.empty()}}},
        {"pricing",
         {{"kind", pricing.kind},
          {"per_call_usd", pricing.per_call_usd},
          {"per_image_usd", pricing.per_image_usd}}},
    };
}

nlohmann::json GatewayProfile::to_json() const {
    nlohmann::json j = ModelSpec::to_json(); // the current model, at the top as before
    j["name"] = name;
    j["description"] = description;
    j["base_url"] = base_url;
    j["default_model"] = default_model;
    j["forbidden_is_moderation"] = forbidden_is_moderation;
    j["source"] = source_path;
    nlohmann::json list = nlohmann::json::array();
    for (const auto &m : models)
        list.push_back(m.to_json());
    j["models"] = list;
    return j;
}

std::vector<std::string> GatewayProfile::model_names() const {
    std::vector<std::string> names;
    for (const auto &m : models)
        names.push_back(m.model);
    return names;
}

GatewayProfile GatewayProfile::for_model(const std::string &wanted) const {
    if (wanted.empty() || wanted == model)
        return *this;
    for (const auto &m : models)
        if (m.model == wanted) {
            GatewayProfile chosen = *this;
            static_cast<ModelSpec &>(chosen) = m;
            return chosen;
        }
    std::string listed;
    for (const auto &m : models)
        listed += (listed.empty() ? "" : ", ") + m.model;
    throw Error(ErrorKind::invalid_request,
                "profile " + name + " lists no model \"" + wanted + "\" (it lists: " + listed +
                    ") — to use a model the route serves since, add it to a profile file: "
                    "{\"extends\": \"" + name + "\", \"models\": [{\"model\": \"" + wanted +
                    "\", ...}]} in ~/.config/pictor/profiles/" + name + ".json");
}

nlohmann::json overlay_profile(nlohmann::json base, const nlohmann::json &overlay) {
    nlohmann::json models = base.contains("models") && base["models"].is_array() ? base["models"]
                                                                                 : nlohmann::json::array();
    nlohmann::json patch = overlay;
    patch.erase("extends");
    patch.erase("models");
    base.erase("extends");
    base.merge_patch(patch);
    if (auto added = overlay.find("models"); added != overlay.end() && added->is_array()) {
        for (const auto &entry : *added) {
            // The default model is the top level: an entry naming it changes the top level.
            if (entry.is_object() && base.contains("model") && entry.value("model", "") == base["model"]) {
                base.merge_patch(entry);
                continue;
            }
            auto same = std::find_if(models.begin(), models.end(), [&](const nlohmann::json &m) {
                return m.is_object() && entry.is_object() && m.value("model", "") == entry.value("model", "");
            });
            if (same != models.end())
                same->merge_patch(entry);
            else
                models.push_back(entry);
        }
    }
    if (!models.empty())
        base["models"] = models;
    return base;
}

GatewayProfile parse_gateway_profile(const nlohmann::json &j, const std::string &source) {
    if (!j.is_object())
        bad_profile(source, "not a JSON object");
    // Format 1 is the only one yet; a later one may mean things this version would misread.
    if (get_or<int>(j, "format", 1, source) != 1)
        bad_profile(source, "\"format\" " + j["format"].dump() + " is newer than this pictor reads (1) — "
                                                                 "update pictor");
    GatewayProfile p;
    p.source_path = source;
    p.name = get_or<std::string>(j, "name", "", source);
    p.base_url = get_or<std::string>(j, "base_url", "", source);
    std::string model = get_or<std::string>(j, "model", "", source);
    if (p.name.empty() || p.base_url.empty() || model.empty())
        bad_profile(source, "\"name\", \"base_url\" and \"model\" are required");
    p.description = get_or<std::string>(j, "description", "", source);
    static_cast<ModelSpec &>(p) = parse_model(j, source);
    p.model_description = p.description;
    p.default_model = p.model;
    p.models.push_back(p);

    if (auto r = j.find("response"); r != j.end() && r->is_object()) {
        p.forbidden_is_moderation = get_or<bool>(*r, "forbidden_is_moderation", false, source);
        p.final_error_texts = get_or<std::vector<std::string>>(*r, "final_error_texts", {}, source);
    }
    p.sized_alternative = get_or<std::string>(j, "sized_alternative", "", source);

    if (auto list = j.find("models"); list != j.end() && !list->is_null()) {
        if (!list->is_array())
            bad_profile(source, "\"models\" must be a list of model entries");
        // Each entry starts from the default model's keys (prices excepted) and states what differs.
        nlohmann::json inherited = nlohmann::json::object();
        for (const char *key : model_keys)
            if (j.contains(key) && std::string(key) != "pricing" && std::string(key) != "description")
                inherited[key] = j[key];
        for (const auto &entry : *list) {
            if (!entry.is_object())
                bad_profile(source, "every entry of \"models\" must be an object");
            nlohmann::json merged = inherited;
            merged.merge_patch(entry);
            ModelSpec m = parse_model(merged, source);
            auto same = std::find_if(p.models.begin(), p.models.end(),
                                     [&](const ModelSpec &known) { return known.model == m.model; });
            if (same != p.models.end())
                bad_profile(source, "model \"" + m.model + "\" is listed twice");
            p.models.push_back(std::move(m));
        }
    }
    return p;
}

ProfileCatalog::ProfileCatalog(std::vector<std::string> folders) : folders_(std::move(folders)) {}

ProfileCatalog ProfileCatalog::standard(const std::string &first) {
    std::vector<std::string> folders;
    for (const std::string &dir : {first, env_or_empty("PICTOR_PROFILE_DIR"), user_config_dir() + "/profiles",
                                   installed_profiles_dir()})
        if (!dir.empty() && std::find(folders.begin(), folders.end(), dir) == folders.end())
            folders.push_back(dir);
    return ProfileCatalog(std::move(folders));
}

static nlohmann::json read_profile_json(const std::string &path) {
    std::ifstream in(path);
    if (!in)
        bad_profile(path, std::string("cannot be read (") + std::strerror(errno) + ")");
    nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
    if (j.is_discarded())
        bad_profile(path, "not valid JSON");
    if (!j.is_object())
        bad_profile(path, "not a JSON object");
    return j;
}

// NAME's JSON from folders[first...], "extends" resolved; *path gets the file it came from.
nlohmann::json ProfileCatalog::resolved_json(const std::string &name, size_t first, int depth,
                                             std::string *path) const {
    bool safe = !name.empty() && name.find('/') == std::string::npos && name[0] != '.';
    for (size_t i = first; safe && i < folders_.size(); ++i) {
        std::string candidate = folders_[i] + "/" + name + ".json";
        struct stat info {};
        if (stat(candidate.c_str(), &info) != 0 || !S_ISREG(info.st_mode))
            continue;
        nlohmann::json j = read_profile_json(candidate);
        *path = candidate;
        auto extends = j.find("extends");
        if (extends == j.end())
            return j;
        if (!extends->is_string())
            bad_profile(candidate, "\"extends\" must name a profile");
        if (depth >= 8)
            bad_profile(candidate, "\"extends\" goes more than 8 profiles deep (a loop?)");
        const std::string base_name = extends->get<std::string>();
        std::string base_path;
        // Extending its own name means the one this file hides (the installed profile).
        nlohmann::json base = resolved_json(base_name, base_name == name ? i + 1 : 0, depth + 1, &base_path);
        if (base.is_null())
            bad_profile(candidate, "\"extends\": no profile \"" + base_name + "\" to extend");
        return overlay_profile(std::move(base), j);
    }
    return nullptr;
}

GatewayProfile ProfileCatalog::find(const std::string &name) const {
    std::string path;
    nlohmann::json j = resolved_json(name, 0, 0, &path);
    if (!j.is_null()) {
        j["name"] = name; // the file name is the name users type
        return parse_gateway_profile(j, path);
    }
    std::string known;
    for (const auto &known_name : names())
        known += (known.empty() ? "" : ", ") + known_name;
    throw Error(ErrorKind::invalid_request,
                "unknown profile \"" + name + "\" — known profiles: " + (known.empty() ? "none found" : known) +
                    " (add your own as ~/.config/pictor/profiles/NAME.json)");
}

namespace {

// Why an entry named *.json is not a file find() can load.
std::string why_not_a_profile_file(const std::string &path) {
    struct stat link {};
    if (lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode)) {
        struct stat target {};
        if (stat(path.c_str(), &target) != 0)
            return "a symbolic link to something that does not exist";
    }
    struct stat info {};
    if (stat(path.c_str(), &info) != 0)
        return std::string("cannot be read (") + std::strerror(errno) + ")";
    if (S_ISDIR(info.st_mode))
        return "a folder, not a profile file";
    return "not a regular file";
}

} // namespace

std::vector<std::string> ProfileCatalog::names(std::vector<SkippedProfile> *skipped) const {
    std::set<std::string> found;
    for (const auto &folder : folders_) {
        DIR *dir = opendir(folder.c_str());
        if (!dir)
            continue;
        while (dirent *entry = readdir(dir)) {
            std::string file = entry->d_name;
            if (file.size() <= 5 || file.compare(file.size() - 5, 5, ".json") != 0 || file[0] == '.')
                continue;
            // Only what find() can load: a folder named x.json or a dangling link is not a
            // profile (and must not be listed as one that then cannot be found).
            struct stat info {};
            const std::string path = folder + "/" + file;
            if (stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) {
                if (skipped)
                    skipped->push_back({path, why_not_a_profile_file(path)});
                continue;
            }
            found.insert(file.substr(0, file.size() - 5));
        }
        closedir(dir);
    }
    return {found.begin(), found.end()};
}

std::vector<GatewayProfile> ProfileCatalog::all(std::vector<SkippedProfile> *skipped) const {
    std::vector<GatewayProfile> profiles;
    for (const auto &name : names(skipped)) {
        try {
            profiles.push_back(find(name));
        } catch (const Error &e) {
            // A broken user file should not hide every other profile from a dialog.
            if (!skipped)
                continue;
            // The file find() read first (the one that hides the others of that name).
            std::string file;
            for (const auto &folder : folders_) {
                struct stat info {};
                if (stat((folder + "/" + name + ".json").c_str(), &info) == 0 && S_ISREG(info.st_mode)) {
                    file = folder + "/" + name + ".json";
                    break;
                }
            }
            // bad_profile's message starts "profile FILE: "; the file is a field of its own.
            std::string reason = e.what();
            const std::string prefix = "profile " + file + ": ";
            if (reason.compare(0, prefix.size(), prefix) == 0)
                reason.erase(0, prefix.size());
            skipped->push_back({file, reason});
        }
    }
    return profiles;
}

} // namespace pictor
