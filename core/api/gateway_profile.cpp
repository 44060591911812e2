#include "api/gateway_profile.hpp"

#include <dirent.h>
#include <dlfcn.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <set>

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

} // namespace

nlohmann::json GatewayProfile::to_json() const {
    static const char *rules[] = {"custom", "presets", "list", "none"};
    nlohmann::json quality_list = nlohmann::json::array();
    for (const auto &[ours, theirs] : quality_values)
        quality_list.push_back(ours);
    return {
        {"name", name},
        {"description", description},
        {"base_url", base_url},
        {"model", model},
        {"size_rule", rules[int(size_rule)]},
        {"sizes", sizes},
        {"default_size", default_size},
        {"qualities", quality_list},
        {"quality_values", quality_values},
        {"background_values", background_values},
        {"max_images_per_request", max_images_per_request},
        {"serves_edits", serves_edits},
        {"max_edit_images", max_edit_images},
        {"max_edit_image_bytes", max_edit_image_bytes},
        {"max_mask_bytes", max_mask_bytes},
        {"fields",
         {{"n", sends_n},
          {"quality", sends_quality},
          {"size", sends_size},
          {"output_format", sends_output_format},
          {"output_compression", sends_output_compression},
          {"background", sends_background},
          {"moderation", sends_moderation},
          {"stream", sends_stream}}},
        {"pricing", {{"kind", pricing_kind}, {"per_call_usd", per_call_usd}}},
        {"forbidden_is_moderation", forbidden_is_moderation},
        {"source", source_path},
    };
}

GatewayProfile parse_gateway_profile(const nlohmann::json &j, const std::string &source) {
    if (!j.is_object())
        bad_profile(source, "not a JSON object");
    GatewayProfile p;
    p.source_path = source;
    p.name = get_or<std::string>(j, "name", "", source);
    p.base_url = get_or<std::string>(j, "base_url", "", source);
    p.model = get_or<std::string>(j, "model", "", source);
    if (p.name.empty() || p.base_url.empty() || p.model.empty())
        bad_profile(source, "\"name\", \"base_url\" and \"model\" are required");
    p.description = get_or<std::string>(j, "description", "", source);

    std::string rule = get_or<std::string>(j, "size_rule", "custom", source);
    if (rule == "custom")
        p.size_rule = SizeRule::custom;
    else if (rule == "presets")
        p.size_rule = SizeRule::presets;
    else if (rule == "list")
        p.size_rule = SizeRule::list;
    else if (rule == "none")
        p.size_rule = SizeRule::none;
    else
        bad_profile(source, "size_rule must be custom, presets, list or none, not \"" + rule + "\"");
    p.sizes = get_or<std::vector<std::string>>(j, "sizes", {}, source);
    p.default_size = get_or<std::string>(j, "default_size", "", source);
    if ((p.size_rule == SizeRule::presets || p.size_rule == SizeRule::list) && p.sizes.empty())
        bad_profile(source, "size_rule \"" + rule + "\" needs a \"sizes\" list");

    if (auto f = j.find("fields"); f != j.end()) {
        if (!f->is_object())
            bad_profile(source, "\"fields\" must be an object");
        p.sends_n = get_or<bool>(*f, "n", true, source);
        p.sends_quality = get_or<bool>(*f, "quality", true, source);
        p.sends_size = get_or<bool>(*f, "size", true, source);
        p.sends_output_format = get_or<bool>(*f, "output_format", true, source);
        p.sends_output_compression = get_or<bool>(*f, "output_compression", true, source);
        p.sends_background = get_or<bool>(*f, "background", true, source);
        p.sends_moderation = get_or<bool>(*f, "moderation", true, source);
        p.sends_stream = get_or<bool>(*f, "stream", true, source);
        if (auto rf = f->find("response_format"); rf != f->end() && rf->is_string())
            p.response_format = rf->get<std::string>();
    }
    if (p.size_rule == SizeRule::none)
        p.sends_size = false;
    p.quality_values = get_or<std::map<std::string, std::string>>(j, "quality_values", {}, source);
    if (p.quality_values.empty())
        p.sends_quality = false;
    p.background_values = get_or<std::vector<std::string>>(j, "background_values", {}, source);
    p.max_images_per_request = get_or<int>(j, "max_images_per_request", 1, source);
    if (p.max_images_per_request < 1)
        bad_profile(source, "max_images_per_request must be at least 1");

    if (auto r = j.find("response"); r != j.end() && r->is_object()) {
        p.b64_style = get_or<std::string>(*r, "b64_json", "raw", source);
        p.url_responses = get_or<bool>(*r, "url", false, source);
        p.request_id_headers =
            get_or<std::vector<std::string>>(*r, "request_id_headers", p.request_id_headers, source);
        p.forbidden_is_moderation = get_or<bool>(*r, "forbidden_is_moderation", false, source);
    }
    if (auto e = j.find("edits"); e != j.end() && e->is_object()) {
        // Read as signed, so -1 is an error rather than "no limit" after wrapping around.
        auto positive = [&](const char *field, int64_t fallback) {
            int64_t value = get_or<int64_t>(*e, field, fallback, source);
            if (value < 1)
                bad_profile(source, std::string("edits.") + field + " must be at least 1");
            return value;
        };
        p.serves_edits = get_or<bool>(*e, "served", true, source);
        p.max_edit_images = int(positive("max_images", 16));
        p.max_edit_image_bytes = uint64_t(positive("max_image_bytes", int64_t(p.max_edit_image_bytes)));
        p.max_mask_bytes = uint64_t(positive("max_mask_bytes", int64_t(p.max_mask_bytes)));
    }
    if (auto pr = j.find("pricing"); pr != j.end() && pr->is_object()) {
        p.pricing_kind = get_or<std::string>(*pr, "kind", "tokens", source);
        p.per_call_usd = get_or<double>(*pr, "usd", 0.0, source);
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

static GatewayProfile load_profile_file(const std::string &path) {
    std::ifstream in(path);
    nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
    if (j.is_discarded())
        bad_profile(path, "not valid JSON");
    return parse_gateway_profile(j, path);
}

GatewayProfile ProfileCatalog::find(const std::string &name) const {
    bool safe = !name.empty() && name.find('/') == std::string::npos && name[0] != '.';
    if (safe)
        for (const auto &folder : folders_) {
            std::string path = folder + "/" + name + ".json";
            struct stat info {};
            if (stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode)) {
                GatewayProfile p = load_profile_file(path);
                p.name = name; // the file name is the name users type
                return p;
            }
        }
    std::string known;
    for (const auto &known_name : names())
        known += (known.empty() ? "" : ", ") + known_name;
    throw Error(ErrorKind::invalid_request,
                "unknown profile \"" + name + "\" — known profiles: " + (known.empty() ? "none found" : known) +
                    " (add your own as ~/.config/pictor/profiles/NAME.json)");
}

std::vector<std::string> ProfileCatalog::names(std::vector<std::string> *skipped) const {
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
                    skipped->push_back(path + ": not a readable regular file, skipped");
                continue;
            }
            found.insert(file.substr(0, file.size() - 5));
        }
        closedir(dir);
    }
    return {found.begin(), found.end()};
}

std::vector<GatewayProfile> ProfileCatalog::all(std::vector<std::string> *skipped) const {
    std::vector<GatewayProfile> profiles;
    for (const auto &name : names(skipped)) {
        try {
            profiles.push_back(find(name));
        } catch (const Error &e) {
            // A broken user file should not hide every other profile from a dialog.
            if (skipped)
                skipped->push_back(std::string(e.what()) + ", skipped");
        }
    }
    return profiles;
}

} // namespace pictor
