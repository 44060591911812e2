// The shipped profiles say what GATEWAYS.md says; parse errors and the catalog's search rules.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/gateway_profile.hpp"
#include "api/size_rules.hpp"
#include "api_test_support.hpp"

namespace pictor {
namespace {

using apitest::catch_error;
using apitest::profiles_dir;
using apitest::shipped;
using apitest::shipped_names;

// GATEWAYS.md: "The 30 sizes of the vip routes".
const std::vector<std::string> &vip_sizes() {
    static const std::vector<std::string> sizes{
        "1280x1280", "2048x2048", "2880x2880", "848x1280",  "1360x2048", "2336x3520", "1280x848", "2048x1360",
        "3520x2336", "960x1280",  "1536x2048", "2480x3312", "1280x960",  "2048x1536", "3312x2480", "1024x1280",
        "1632x2048", "2560x3216", "1280x1024", "2048x1632", "3216x2560", "720x1280",  "1152x2048", "2160x3840",
        "1280x720",  "2048x1152", "3840x2160", "1280x544",  "2048x864",  "3840x1632"};
    return sizes;
}

std::set<std::string> as_set(const std::vector<std::string> &v) { return {v.begin(), v.end()}; }

// ---- every shipped profile parses -----------------------------------------------------------------

TEST(ShippedProfiles, CatalogListsExactlyTheEightDocumentedProfiles) {
    std::vector<GatewayProfile> all = ProfileCatalog({profiles_dir()}).all();
    std::vector<std::string> names;
    for (const auto &p : all)
        names.push_back(p.name);
    EXPECT_EQ(names, shipped_names()); // sorted by name
}

TEST(ShippedProfiles, EveryFileParsesAndNamesMatchFiles) {
    for (const auto &name : shipped_names()) {
        std::string path = profiles_dir() + "/" + name + ".json";
        std::ifstream in(path);
        ASSERT_TRUE(in) << path;
        nlohmann::json j = nlohmann::json::parse(in);
        GatewayProfile p = parse_gateway_profile(j, path);
        EXPECT_EQ(p.name, name) << "the \"name\" field should match the file name";
        EXPECT_EQ(p.source_path, path);
        EXPECT_FALSE(p.base_url.empty()) << name;
        EXPECT_FALSE(p.model.empty()) << name;
        EXPECT_GE(p.max_images_per_request, 1) << name;
        EXPECT_EQ(p.max_edit_images, 16) << name;
        // The default model is the route's one, first in its list.
        ASSERT_FALSE(p.models.empty()) << name;
        EXPECT_EQ(p.models.front().model, p.model) << name;
        EXPECT_EQ(p.default_model, p.model) << name;
    }
}

TEST(ShippedProfiles, BaseUrlsAndModels) {
    struct Row {
        const char *name, *base_url, *model;
    };
    for (const Row &row : {Row{"openai", "https://api.openai.com/v1", "gpt-image-2"},
                           Row{"apiyi", "https://api.apiyi.com/v1", "gpt-image-2"},
                           Row{"apiyi-vip", "https://api.apiyi.com/v1", "gpt-image-2-vip"},
                           Row{"apiyi-all", "https://api.apiyi.com/v1", "gpt-image-2-all"},
                           Row{"laozhang", "https://api.laozhang.ai/v1", "gpt-image-2"},
                           Row{"laozhang-vip", "https://api.laozhang.ai/v1", "gpt-image-2-vip"},
                           Row{"laozhang-official", "https://api.laozhang.ai/v1", "gpt-image-2"},
                           Row{"ruoli", "https://ruoli.dev/v1", "gpt-image-2"}}) {
        GatewayProfile p = shipped(row.name);
        EXPECT_EQ(p.base_url, row.base_url) << row.name;
        EXPECT_EQ(p.model, row.model) << row.name;
    }
}

TEST(ShippedProfiles, OfficialStyleRoutesTakeCustomSizesAndAllQualities) {
    const std::map<std::string, std::string> identity{
        {"low", "low"}, {"medium", "medium"}, {"high", "high"}, {"auto", "auto"}};
    for (const char *name : {"openai", "apiyi", "laozhang-official"}) {
        GatewayProfile p = shipped(name);
        EXPECT_EQ(p.size_rule, SizeRule::custom) << name;
        EXPECT_TRUE(p.sends_size) << name;
        EXPECT_TRUE(p.sends_quality) << name;
        EXPECT_EQ(p.quality_values, identity) << name;
        EXPECT_TRUE(p.sends_output_format) << name;
        EXPECT_TRUE(p.sends_output_compression) << name;
        EXPECT_TRUE(p.sends_moderation) << name;
        EXPECT_EQ(p.response_format, "") << name << ": official routes answer b64_json without asking";
        EXPECT_EQ(p.pricing.kind, "per_image") << name;
        EXPECT_DOUBLE_EQ(p.pricing.per_image_usd.at("high").at("1024x1024"), 0.211) << name;
    }
}

TEST(ShippedProfiles, OpenaiTakesUpToTenImagesPerRequest) {
    GatewayProfile p = shipped("openai");
    EXPECT_TRUE(p.sends_n);
    EXPECT_EQ(p.max_images_per_request, 10);
    // Uploads < 50 MB at OpenAI.
    EXPECT_LT(p.max_edit_image_bytes, 50ull * 1024 * 1024);
    EXPECT_GT(p.max_edit_image_bytes, 40ull * 1024 * 1024);
    EXPECT_NE(std::find(p.background_values.begin(), p.background_values.end(), "transparent"),
              p.background_values.end());
}

TEST(ShippedProfiles, OpenaiMaskLimitIsUnderFourMegabytes) {
    // GATEWAYS.md, Edits: "mask a PNG with an alpha channel ... (< 4 MB at OpenAI)". The official
    // transit route forwards to OpenAI, so the same limit applies there.
    for (const char *name : {"openai", "laozhang-official"}) {
        GatewayProfile p = shipped(name);
        EXPECT_LT(p.max_mask_bytes, 4ull * 1024 * 1024) << name << ": max_mask_bytes is " << p.max_mask_bytes;
        EXPECT_GT(p.max_mask_bytes, 3ull * 1000 * 1000) << name;
    }
}

TEST(ShippedProfiles, LaozhangOfficialIsAsOpenai) {
    GatewayProfile p = shipped("laozhang-official");
    EXPECT_EQ(p.max_images_per_request, 10);
    EXPECT_TRUE(p.sends_n);
}

TEST(ShippedProfiles, ApiyiTakesOneImagePerRequestAndNoTransparency) {
    GatewayProfile p = shipped("apiyi");
    EXPECT_EQ(p.max_images_per_request, 1);
    EXPECT_EQ(as_set(p.background_values), (std::set<std::string>{"auto", "opaque"}));
    EXPECT_EQ(p.max_edit_image_bytes, 10ull * 1024 * 1024); // each <= 10 MB on apiyi
}

TEST(ShippedProfiles, VipRoutesListExactlyTheThirtySizes) {
    ASSERT_EQ(vip_sizes().size(), 30u);
    for (const char *name : {"apiyi-vip", "laozhang-vip"}) {
        GatewayProfile p = shipped(name);
        EXPECT_EQ(p.size_rule, SizeRule::list) << name;
        EXPECT_EQ(p.sizes.size(), 30u) << name;
        EXPECT_EQ(as_set(p.sizes), as_set(vip_sizes())) << name;
        // Written WIDTHxHEIGHT with a lowercase x: every entry parses.
        for (const auto &s : p.sizes)
            EXPECT_TRUE(parse_image_size(s).has_value()) << name << " " << s;
        // A size is always sent: the default is one of the 30.
        EXPECT_FALSE(p.default_size.empty()) << name;
        EXPECT_NE(std::find(p.sizes.begin(), p.sizes.end(), p.default_size), p.sizes.end()) << name;
        EXPECT_TRUE(p.sends_size) << name;
    }
}

TEST(ShippedProfiles, VipRoutesRejectQualityAndN) {
    for (const char *name : {"apiyi-vip", "laozhang-vip"}) {
        GatewayProfile p = shipped(name);
        EXPECT_FALSE(p.sends_quality) << name;
        EXPECT_TRUE(p.quality_values.empty()) << name;
        EXPECT_FALSE(p.sends_n) << name << ": n=3 is billed 3x and returns 1";
        EXPECT_EQ(p.max_images_per_request, 1) << name;
        EXPECT_EQ(p.response_format, "b64_json") << name;
        EXPECT_FALSE(p.extra_fields_allowed) << name << ": a stray field can be billed here";
        EXPECT_FALSE(p.sends_moderation) << name;
        EXPECT_EQ(p.pricing.kind, "per_call") << name;
        EXPECT_DOUBLE_EQ(p.pricing.per_call_usd, 0.03) << name;
    }
}

TEST(ShippedProfiles, AllAndLaozhangTakeNoSizeOrQuality) {
    for (const char *name : {"apiyi-all", "laozhang"}) {
        GatewayProfile p = shipped(name);
        EXPECT_EQ(p.size_rule, SizeRule::none) << name;
        EXPECT_FALSE(p.sends_size) << name;
        EXPECT_FALSE(p.sends_quality) << name;
        EXPECT_TRUE(p.quality_values.empty()) << name;
        EXPECT_EQ(p.max_images_per_request, 1) << name;
        EXPECT_FALSE(p.sends_n) << name;
        EXPECT_EQ(p.response_format, "") << name;
        EXPECT_EQ(p.pricing.kind, "per_call") << name;
        EXPECT_DOUBLE_EQ(p.pricing.per_call_usd, 0.03) << name;
    }
}

TEST(ShippedProfiles, RuoliTakesTheSevenPresetsAndItsOwnQualityNames) {
    GatewayProfile p = shipped("ruoli");
    EXPECT_EQ(p.size_rule, SizeRule::presets);
    EXPECT_EQ(p.sizes, preset_sizes());
    EXPECT_EQ(p.sizes.size(), 7u);
    EXPECT_TRUE(p.sends_quality);
    const std::map<std::string, std::string> expected{{"low", "standard"}, {"medium", "medium"}, {"high", "hd"}};
    EXPECT_EQ(p.quality_values, expected);
    EXPECT_TRUE(p.sends_n);
    EXPECT_EQ(p.max_images_per_request, 10);
    EXPECT_FALSE(p.sends_output_format);
    EXPECT_FALSE(p.sends_moderation);
    EXPECT_EQ(p.pricing.kind, "per_image");
}

TEST(ShippedProfiles, ToJsonDescribesTheRoute) {
    nlohmann::json j = shipped("ruoli").to_json();
    EXPECT_EQ(j["name"], "ruoli");
    EXPECT_EQ(j["size_rule"], "presets");
    EXPECT_EQ(j["quality_values"]["low"], "standard");
    EXPECT_EQ(j["max_images_per_request"], 10);
    EXPECT_EQ(j["fields"]["moderation"], false);
    nlohmann::json vip = shipped("apiyi-vip").to_json();
    EXPECT_EQ(vip["size_rule"], "list");
    EXPECT_EQ(vip["fields"]["n"], false);
    EXPECT_EQ(vip["pricing"]["kind"], "per_call");
    EXPECT_EQ(vip["sizes"].size(), 30u);
}

// The size list a host's dialog offers comes from here: the route's sizes, or on a custom-size
// route the API's presets (README "Sizes"); nothing on a route that takes no size.
TEST(ShippedProfiles, SuggestedSizesAreTheListedOnesOrThePresets) {
    const nlohmann::json presets = {"1024x1024", "1536x1024", "1024x1536", "2048x2048",
                                    "2048x1152", "3840x2160", "2160x3840"};
    EXPECT_EQ(shipped("openai").to_json()["suggested_sizes"], presets);
    EXPECT_EQ(shipped("ruoli").to_json()["suggested_sizes"], presets);
    nlohmann::json vip = shipped("apiyi-vip").to_json();
    EXPECT_EQ(vip["suggested_sizes"], vip["sizes"]);
    EXPECT_TRUE(shipped("laozhang").to_json()["suggested_sizes"].empty());
}

// ---- parse errors name the file and the field ------------------------------------------------------

nlohmann::json minimal() {
    return {{"name", "mine"}, {"base_url", "https://gw.example/v1"}, {"model", "gpt-image-2"}};
}

void expect_parse_error(const nlohmann::json &j, const std::string &field) {
    const std::string source = "/somewhere/profiles/mine.json";
    Error e = catch_error([&] { parse_gateway_profile(j, source); });
    EXPECT_KIND(e, ErrorKind::invalid_request);
    EXPECT_NE(std::string(e.what()).find(source), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(field), std::string::npos) << "should name " << field << ": " << e.what();
    EXPECT_FALSE(e.info().request_sent);
}

TEST(ParseGatewayProfile, MinimalProfileGetsDefaults) {
    GatewayProfile p = parse_gateway_profile(minimal(), "mine.json");
    EXPECT_EQ(p.name, "mine");
    EXPECT_EQ(p.size_rule, SizeRule::custom);
    EXPECT_EQ(p.max_images_per_request, 1);
    EXPECT_FALSE(p.sends_quality) << "no quality_values: the field is never sent";
    EXPECT_EQ(p.response_format, "");
    EXPECT_EQ(p.source_path, "mine.json");
}

TEST(ParseGatewayProfile, NotAnObject) { expect_parse_error(nlohmann::json::array({1, 2}), "object"); }

TEST(ParseGatewayProfile, MissingRequiredFields) {
    for (const char *field : {"name", "base_url", "model"}) {
        nlohmann::json j = minimal();
        j.erase(field);
        expect_parse_error(j, field);
    }
}

TEST(ParseGatewayProfile, WrongTypes) {
    nlohmann::json j = minimal();
    j["model"] = 5;
    expect_parse_error(j, "model");
    j = minimal();
    j["max_images_per_request"] = "ten";
    expect_parse_error(j, "max_images_per_request");
    j = minimal();
    j["sizes"] = "1024x1024";
    expect_parse_error(j, "sizes");
    j = minimal();
    j["quality_values"] = nlohmann::json::array({"low"});
    expect_parse_error(j, "quality_values");
    j = minimal();
    j["fields"] = {{"n", "yes"}};
    expect_parse_error(j, "\"n\"");
    j = minimal();
    j["fields"] = 3;
    expect_parse_error(j, "fields");
    j = minimal();
    j["edits"] = {{"max_images", "many"}};
    expect_parse_error(j, "max_images");
}

TEST(ParseGatewayProfile, UnknownSizeRule) {
    nlohmann::json j = minimal();
    j["size_rule"] = "whatever";
    expect_parse_error(j, "size_rule");
    expect_parse_error(j, "whatever");
}

TEST(ParseGatewayProfile, ListRuleNeedsSizes) {
    nlohmann::json j = minimal();
    j["size_rule"] = "list";
    expect_parse_error(j, "sizes");
    j["size_rule"] = "presets";
    expect_parse_error(j, "sizes");
}

TEST(ParseGatewayProfile, MaxImagesPerRequestAtLeastOne) {
    nlohmann::json j = minimal();
    j["max_images_per_request"] = 0;
    expect_parse_error(j, "max_images_per_request");
}

TEST(ParseGatewayProfile, NegativeLimitsAreErrors) {
    // -1 read as uint64_t silently becomes 18446744073709551615 (no limit at all); as an int
    // max_images it makes every edit impossible. Either way the file is wrong and should be named.
    nlohmann::json j = minimal();
    j["edits"] = {{"max_image_bytes", -1}};
    expect_parse_error(j, "max_image_bytes");
    j["edits"] = {{"max_mask_bytes", -5}};
    expect_parse_error(j, "max_mask_bytes");
    j["edits"] = {{"max_images", -1}};
    expect_parse_error(j, "max_images");
}

TEST(ParseGatewayProfile, NoneRuleNeverSendsSize) {
    nlohmann::json j = minimal();
    j["size_rule"] = "none";
    j["fields"] = {{"size", true}};
    EXPECT_FALSE(parse_gateway_profile(j, "x.json").sends_size);
}

// ---- ProfileCatalog ---------------------------------------------------------------------------------

class TempDir {
public:
    TempDir() {
        char pattern[] = "/tmp/pictor-profile-test-XXXXXX";
        char *made = mkdtemp(pattern);
        EXPECT_NE(made, nullptr);
        path_ = made ? made : "/tmp";
    }
    ~TempDir() { std::system(("rm -rf '" + path_ + "'").c_str()); }
    const std::string &path() const { return path_; }
    std::string write(const std::string &relative, const std::string &text) const {
        std::string file = path_ + "/" + relative;
        std::ofstream(file) << text;
        return file;
    }

private:
    std::string path_;
};

TEST(ProfileCatalog, FindsAShippedProfile) {
    GatewayProfile p = ProfileCatalog({profiles_dir()}).find("apiyi-vip");
    EXPECT_EQ(p.name, "apiyi-vip");
    EXPECT_EQ(p.source_path, profiles_dir() + "/apiyi-vip.json");
}

TEST(ProfileCatalog, UserFolderOverridesTheInstalledProfile) {
    TempDir user;
    nlohmann::json j = minimal();
    j["name"] = "openai";
    j["base_url"] = "https://my-proxy.example/v1";
    j["max_images_per_request"] = 4;
    std::string path = user.write("openai.json", j.dump());

    ProfileCatalog catalog({user.path(), profiles_dir()});
    GatewayProfile p = catalog.find("openai");
    EXPECT_EQ(p.base_url, "https://my-proxy.example/v1");
    EXPECT_EQ(p.max_images_per_request, 4);
    EXPECT_EQ(p.source_path, path);
    // Others still come from the installed folder.
    EXPECT_EQ(catalog.find("ruoli").base_url, "https://ruoli.dev/v1");
    // all(): one entry per name, the override applied.
    auto all = catalog.all();
    EXPECT_EQ(std::count_if(all.begin(), all.end(), [](const GatewayProfile &g) { return g.name == "openai"; }), 1);
    for (const auto &g : all) {
        if (g.name == "openai") {
            EXPECT_EQ(g.base_url, "https://my-proxy.example/v1");
        }
    }
    // Order matters: installed first, the installed one wins.
    EXPECT_EQ(ProfileCatalog({profiles_dir(), user.path()}).find("openai").base_url, "https://api.openai.com/v1");
}

TEST(ProfileCatalog, FileNameIsTheProfileName) {
    TempDir user;
    nlohmann::json j = minimal();
    j["name"] = "something-else";
    user.write("work.json", j.dump());
    EXPECT_EQ(ProfileCatalog({user.path()}).find("work").name, "work");
}

TEST(ProfileCatalog, UserProfileAddsANewName) {
    TempDir user;
    user.write("mine.json", minimal().dump());
    ProfileCatalog catalog({user.path(), profiles_dir()});
    EXPECT_EQ(catalog.find("mine").base_url, "https://gw.example/v1");
    EXPECT_EQ(catalog.all().size(), shipped_names().size() + 1);
}

TEST(ProfileCatalog, UnknownNameListsKnownNames) {
    Error e = catch_error([] { ProfileCatalog({profiles_dir()}).find("nonesuch"); });
    EXPECT_KIND(e, ErrorKind::invalid_request);
    std::string message = e.what();
    EXPECT_NE(message.find("nonesuch"), std::string::npos) << message;
    for (const auto &name : shipped_names())
        EXPECT_NE(message.find(name), std::string::npos) << "should list " << name << ": " << message;
}

TEST(ProfileCatalog, UnknownNameInEmptyCatalogSaysNoneFound) {
    TempDir empty;
    Error e = catch_error([&] { ProfileCatalog({empty.path()}).find("openai"); });
    EXPECT_KIND(e, ErrorKind::invalid_request);
    EXPECT_NE(std::string(e.what()).find("none found"), std::string::npos) << e.what();
}

TEST(ProfileCatalog, NamesWithSlashOrLeadingDotAreRejected) {
    TempDir root;
    ASSERT_EQ(mkdir((root.path() + "/profiles").c_str(), 0755), 0);
    ASSERT_EQ(mkdir((root.path() + "/profiles/sub").c_str(), 0755), 0);
    root.write("outside.json", minimal().dump());          // reachable as ../outside
    root.write("profiles/sub/inner.json", minimal().dump()); // reachable as sub/inner
    root.write("profiles/.hidden.json", minimal().dump());   // reachable as .hidden
    ProfileCatalog catalog({root.path() + "/profiles"});
    for (const char *name : {"../outside", "sub/inner", ".hidden", "/etc/passwd", ""}) {
        Error e = catch_error([&] { catalog.find(name); });
        EXPECT_KIND(e, ErrorKind::invalid_request);
    }
    // .hidden.json is not listed either.
    for (const auto &p : catalog.all())
        EXPECT_NE(p.name, ".hidden");
}

TEST(ProfileCatalog, BrokenFileErrorNamesThePath) {
    TempDir user;
    std::string path = user.write("broken.json", "{ not json");
    Error e = catch_error([&] { ProfileCatalog({user.path()}).find("broken"); });
    EXPECT_KIND(e, ErrorKind::invalid_request);
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("JSON"), std::string::npos) << e.what();
}

TEST(ProfileCatalog, BrokenUserFileDoesNotHideOtherProfiles) {
    TempDir user;
    user.write("broken.json", "[]");
    auto all = ProfileCatalog({user.path(), profiles_dir()}).all();
    EXPECT_EQ(all.size(), shipped_names().size());
}

TEST(ProfileCatalog, StandardSearchPathPutsFirstAndEnvironmentAhead) {
    TempDir first, env_dir, config_home;
    nlohmann::json j = minimal();
    j["base_url"] = "https://from-first.example/v1";
    first.write("mine.json", j.dump());
    j["base_url"] = "https://from-env.example/v1";
    env_dir.write("mine.json", j.dump());
    j["base_url"] = "https://from-env.example/v1";
    env_dir.write("only-env.json", j.dump());

    std::vector<std::pair<std::string, std::string>> saved;
    for (const char *name : {"PICTOR_PROFILE_DIR", "XDG_CONFIG_HOME"}) {
        const char *old = std::getenv(name);
        saved.emplace_back(name, old ? old : std::string("\x01unset"));
    }
    setenv("PICTOR_PROFILE_DIR", env_dir.path().c_str(), 1);
    setenv("XDG_CONFIG_HOME", config_home.path().c_str(), 1);
    ProfileCatalog with_first = ProfileCatalog::standard(first.path());
    ProfileCatalog without_first = ProfileCatalog::standard();
    for (const auto &[name, value] : saved) {
        if (value == "\x01unset")
            unsetenv(name.c_str());
        else
            setenv(name.c_str(), value.c_str(), 1);
    }

    ASSERT_GE(with_first.folders().size(), 3u);
    EXPECT_EQ(with_first.folders()[0], first.path());
    EXPECT_EQ(with_first.folders()[1], env_dir.path());
    EXPECT_EQ(with_first.folders()[2], config_home.path() + "/pictor/profiles");
    EXPECT_EQ(with_first.find("mine").base_url, "https://from-first.example/v1");
    EXPECT_EQ(with_first.find("only-env").base_url, "https://from-env.example/v1");
    ASSERT_GE(without_first.folders().size(), 2u);
    EXPECT_EQ(without_first.folders()[0], env_dir.path());
    EXPECT_EQ(without_first.find("mine").base_url, "https://from-env.example/v1");
}


// ---- models a route serves, and files that extend a profile -----------------------------------------

namespace models_test {

nlohmann::json with_models() {
    nlohmann::json j = minimal();
    j["quality_values"] = {{"low", "low"}, {"high", "high"}};
    j["max_images_per_request"] = 4;
    j["pricing"] = {{"kind", "per_call"}, {"usd", 0.03}};
    j["models"] = {{{"model", "next"},
                    {"quality_values", {{"high", nullptr}, {"xhigh", "x-high"}}},
                    {"complexity_values", {{"high", "hi"}}},
                    {"edits", {{"markup", true}}}}};
    return j;
}

TEST(ProfileModels, AnEntryInheritsTheDefaultModelsKeysButNotItsPrices) {
    GatewayProfile p = parse_gateway_profile(with_models(), "mine.json");
    ASSERT_EQ(p.model_names(), (std::vector<std::string>{"gpt-image-2", "next"}));
    EXPECT_EQ(p.default_model, "gpt-image-2");
    GatewayProfile next = p.for_model("next");
    EXPECT_EQ(next.model, "next");
    EXPECT_EQ(next.name, "mine") << "the route stays the same";
    EXPECT_EQ(next.max_images_per_request, 4) << "inherited";
    EXPECT_EQ(next.quality_values.at("xhigh"), "x-high") << "its own";
    EXPECT_EQ(next.quality_values.at("low"), "low") << "maps merge key by key";
    EXPECT_EQ(next.quality_values.count("high"), 0u) << "null removes an inherited key";
    EXPECT_EQ(next.complexity_values.at("high"), "hi");
    EXPECT_TRUE(next.takes_markup);
    EXPECT_EQ(next.pricing.kind, "unknown") << "a model without prices is not priced as another";
    EXPECT_EQ(p.pricing.kind, "per_call");
    EXPECT_FALSE(p.takes_markup);
    EXPECT_EQ(p.for_model("").model, "gpt-image-2");
}

TEST(ProfileModels, AModelNotListedIsRefusedNamingTheListed) {
    GatewayProfile p = parse_gateway_profile(with_models(), "mine.json");
    Error e = catch_error([&] { p.for_model("gpt-image-9"); });
    EXPECT_KIND(e, ErrorKind::invalid_request);
    for (const char *needle : {"gpt-image-9", "gpt-image-2, next", "extends"})
        EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << needle << ": " << e.what();
}

TEST(ProfileModels, BadEntriesAreErrors) {
    nlohmann::json twice = with_models();
    twice["models"].push_back({{"model", "next"}});
    expect_parse_error(twice, "twice");
    nlohmann::json unnamed = with_models();
    unnamed["models"].push_back({{"description", "no name"}});
    expect_parse_error(unnamed, "model");
    nlohmann::json newer = minimal();
    newer["format"] = 2;
    expect_parse_error(newer, "format");
    nlohmann::json extra = minimal();
    extra["extra_fields"] = "sometimes";
    expect_parse_error(extra, "extra_fields");
    nlohmann::json pricing = minimal();
    pricing["pricing"] = {{"kind", "per_image"}};
    expect_parse_error(pricing, "per_image_usd");
}

TEST(ProfileModels, ToJsonListsEveryModelForHosts) {
    nlohmann::json j = parse_gateway_profile(with_models(), "mine.json").to_json();
    EXPECT_EQ(j["default_model"], "gpt-image-2");
    ASSERT_EQ(j["models"].size(), 2u);
    EXPECT_EQ(j["models"][1]["model"], "next");
    EXPECT_EQ(j["models"][1]["qualities"], (nlohmann::json{"low", "xhigh"}));
    EXPECT_EQ(j["models"][1]["complexities"], (nlohmann::json{"high"}));
    EXPECT_EQ(j["models"][1]["markup"], true);
    EXPECT_EQ(j["models"][1]["pricing"]["kind"], "unknown");
}

TEST(ProfileModels, AUserFileExtendingItsOwnNameAddsAModelToTheShippedRoute) {
    TempDir user;
    user.write("apiyi.json", R"({"extends": "apiyi", "models": [{"model": "gpt-image-2.6-flare",
        "complexity_values": {"high": "high"}}]})");
    ProfileCatalog catalog({user.path(), profiles_dir()});
    GatewayProfile p = catalog.find("apiyi");
    EXPECT_EQ(p.base_url, "https://api.apiyi.com/v1") << "the rest comes from the shipped file";
    EXPECT_EQ(p.model, "gpt-image-2") << "the shipped default stays the default";
    ASSERT_EQ(p.model_names(), (std::vector<std::string>{"gpt-image-2", "gpt-image-2.6-flare"}));
    GatewayProfile added = p.for_model("gpt-image-2.6-flare");
    EXPECT_EQ(added.max_edit_image_bytes, 10485760u) << "apiyi's 10 MB per image, inherited";
    EXPECT_EQ(added.complexity_values.at("high"), "high");
    EXPECT_TRUE(added.forbidden_is_moderation) << "the route's answers are the route's";
}

TEST(ProfileModels, ANewNameCanExtendAndChangeARoute) {
    TempDir user;
    user.write("cheap.json", R"({"extends": "openai", "base_url": "https://proxy.example/v1",
        "fields": {"moderation": false}, "models": [{"model": "gpt-image-2", "max_images_per_request": 2}]})");
    ProfileCatalog catalog({user.path(), profiles_dir()});
    GatewayProfile p = catalog.find("cheap");
    EXPECT_EQ(p.name, "cheap");
    EXPECT_EQ(p.base_url, "https://proxy.example/v1");
    EXPECT_FALSE(p.sends_moderation) << "objects merge key by key";
    EXPECT_TRUE(p.sends_quality);
    EXPECT_EQ(catalog.find("openai").base_url, "https://api.openai.com/v1") << "openai itself is unchanged";
    // An entry naming a listed model changes it: gpt-image-2 is the top level here.
    nlohmann::json merged = overlay_profile(nlohmann::json{{"models", {{{"model", "a"}, {"n", 1}}}}},
                                            nlohmann::json{{"models", {{{"model", "a"}, {"n", 2}}, {{"model", "b"}}}}});
    EXPECT_EQ(merged["models"], (nlohmann::json{{{"model", "a"}, {"n", 2}}, {{"model", "b"}}}));
}

TEST(ProfileModels, ExtendingNothingOrInALoopIsAnError) {
    TempDir user;
    user.write("lost.json", R"({"extends": "nowhere"})");
    user.write("ping.json", R"({"extends": "pong"})");
    user.write("pong.json", R"({"extends": "ping"})");
    ProfileCatalog catalog({user.path(), profiles_dir()});
    Error lost = catch_error([&] { catalog.find("lost"); });
    EXPECT_NE(std::string(lost.what()).find("nowhere"), std::string::npos) << lost.what();
    Error loop = catch_error([&] { catalog.find("ping"); });
    EXPECT_NE(std::string(loop.what()).find("extends"), std::string::npos) << loop.what();
}

} // namespace models_test

} // namespace
} // namespace pictor
