#include "models_command.hpp"

#include <cstdio>
#include <memory>

#include <nlohmann/json.hpp>
#include <pictor/pictor.h>

#include "exit_status.hpp"
#include "failure_report.hpp"
#include "progress_line.hpp"

namespace pictor_cli {

namespace {

using Json = nlohmann::json;

const char kModelsHelp[] =
    "usage: pictor models [--profile NAME] [--json]\n"
    "\n"
    "Lists the models each profile's route serves (the first is the default) and what each\n"
    "accepts: sizes, qualities, complexities, output formats, backgrounds, images per request,\n"
    "edits and markup, whether fields pictor does not know may be sent (--param), and the\n"
    "price the cost estimate uses (\"unknown\" where the profile states none). Choose one with\n"
    "--model. A profile file can add a model to a route without copying it:\n"
    "  {\"extends\": \"apiyi\", \"models\": [{\"model\": \"NEW-MODEL\", ...}]}\n"
    "in ~/.config/pictor/profiles/apiyi.json (see the README, Profiles).\n"
    "\n"
    "  --profile NAME  only this profile\n"
    "  --json          one JSON array: {profile, description, base_url, default_model, models}\n";

std::string joined(const Json &list) {
    std::string out;
    if (!list.is_array()) return out;
    for (const Json &item : list)
        if (item.is_string()) out += (out.empty() ? "" : ", ") + item.get<std::string>();
    return out.empty() ? "-" : out;
}

std::string sizes_text(const Json &m) {
    const std::string rule = m.value("size_rule", "");
    if (rule == "custom") return "auto or WxH (sides multiples of 16, up to 3840, ratio up to 3:1)";
    if (rule == "none") return "chosen by the route";
    std::string text = std::to_string(m.value("sizes", Json::array()).size()) + " listed: " + joined(m["sizes"]);
    const std::string fallback = m.value("default_size", "");
    return fallback.empty() ? text : text + " (default " + fallback + ")";
}

std::string price_text(const Json &m) {
    const Json pricing = m.value("pricing", Json::object());
    const std::string kind = pricing.value("kind", "unknown");
    char text[64];
    if (kind == "per_call") {
        std::snprintf(text, sizeof text, "$%.2f per call", pricing.value("per_call_usd", 0.0));
        return text;
    }
    if (kind == "per_image") {
        std::string out = "per image, by quality:";
        const Json table = pricing.value("per_image_usd", Json::object());
        for (const auto &[quality, sizes] : table.items())
            if (sizes.contains("1024x1024")) {
                std::snprintf(text, sizeof text, " %s $%.3f", quality.c_str(), sizes["1024x1024"].get<double>());
                out += text;
            }
        return out + " (1024x1024)";
    }
    return "unknown";
}

void print_profile(const Json &p) {
    std::printf("%s  %s\n", p.value("name", "").c_str(), p.value("description", "").c_str());
    const std::string fallback = p.value("default_model", "");
    for (const Json &m : p.value("models", Json::array())) {
        const std::string name = m.value("model", "");
        std::printf("  %s%s\n", name.c_str(), name == fallback ? " (default)" : "");
        const std::string about = m.value("description", "");
        if (!about.empty() && name != fallback) std::printf("    %s\n", about.c_str());
        std::printf("    sizes: %s\n", sizes_text(m).c_str());
        std::printf("    quality: %s; complexity: %s; formats: %s; background: %s\n",
                    joined(m["qualities"]).c_str(), joined(m["complexities"]).c_str(),
                    joined(m["output_formats"]).c_str(), joined(m["background_values"]).c_str());
        std::printf("    images per request: %d; edits: %s; markup: %s; other fields (--param): %s\n",
                    m.value("max_images_per_request", 1),
                    m.value("serves_edits", false)
                        ? ("up to " + std::to_string(m.value("max_edit_images", 0)) + " images").c_str()
                        : "no",
                    m.value("markup", false) ? "yes" : "no",
                    m.value("extra_fields", "allow") == "allow" ? "allowed" : "refused");
        std::printf("    price: %s\n", price_text(m).c_str());
    }
}

} // namespace

int run_models(const std::vector<std::string> &args) {
    std::string only;
    bool json = false;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string &arg = args[i];
        if (arg == "-h" || arg == "--help") {
            std::fputs(kModelsHelp, stdout);
            return kExitSuccess;
        }
        if (arg == "--json") {
            json = true;
        } else if (arg == "--profile" && i + 1 < args.size()) {
            only = args[++i];
        } else if (arg.rfind("--profile=", 0) == 0) {
            only = arg.substr(10);
        } else {
            std::fprintf(stderr, "pictor: models: unexpected argument '%s'\n%s", arg.c_str(), kModelsHelp);
            return kExitUsage;
        }
    }
    ProgressLine quiet(stderr, false);
    Json all = Json::array();
    if (only.empty()) {
        char *raw = nullptr;
        if (pictor_status status = pictor_list_profiles_report(nullptr, &raw); status != PICTOR_OK)
            return report_failure(Failure::from_library(status, *pictor_thread_last_error()), json, quiet);
        std::unique_ptr<char, void (*)(void *)> owned(raw, pictor_free);
        Json report = Json::parse(raw, nullptr, false);
        if (report.is_object()) {
            all = report.value("profiles", Json::array());
            // A file the user meant as a profile must not vanish without a word.
            for (const Json &s : report.value("skipped", Json::array()))
                if (s.is_object())
                    quiet.print_above("pictor: warning: profile file " + s.value("file", "") + " skipped: " +
                                      s.value("reason", ""));
        }
    } else {
        // Through a client, so a profile file that does not load says why.
        pictor_client_config config;
        pictor_client *client = nullptr;
        pictor_status status = pictor_client_config_init(&config);
        config.profile = only.c_str();
        if (status == PICTOR_OK) status = pictor_client_create(&config, &client);
        if (status != PICTOR_OK)
            return report_failure(Failure::from_library(status, *pictor_thread_last_error()), json, quiet);
        all.push_back(Json::parse(pictor_client_profile_json(client), nullptr, false));
        pictor_client_destroy(client);
    }
    Json out = Json::array();
    for (const Json &p : all.is_array() ? all : Json::array()) {
        if (!p.is_object()) continue;
        out.push_back({{"profile", p.value("name", "")},
                       {"description", p.value("description", "")},
                       {"base_url", p.value("base_url", "")},
                       {"default_model", p.value("default_model", "")},
                       {"models", p.value("models", Json::array())}});
        if (!json) print_profile(p);
    }
    if (json) std::printf("%s\n", out.dump(2).c_str());
    return kExitSuccess;
}

} // namespace pictor_cli
