// Every shipped profile against the documented schema (docs/profile-schema.md, "Fields"): each
// key it uses is documented, with the documented type. The expected keys and types are read
// from the document, not from the parser, so a key added to a profile without documenting it
// (or documented with another type) fails here.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/gateway_profile.hpp"
#include "api_test_support.hpp"

namespace pictor {
namespace {

using apitest::profiles_dir;
using apitest::shipped_names;

// key path ("fields.n", "models[].model", "quality_values.*") -> documented type.
std::map<std::string, std::string> documented_keys() {
    std::ifstream in(PICTOR_PROFILE_SCHEMA_DOC);
    EXPECT_TRUE(in) << PICTOR_PROFILE_SCHEMA_DOC;
    std::map<std::string, std::string> keys;
    const std::regex row(R"(^\| `([^`]+)` \| ([^|]+) \|)");
    std::string line;
    std::smatch match;
    while (std::getline(in, line))
        if (std::regex_search(line, match, row)) {
            std::string type = match[2];
            while (!type.empty() && type.back() == ' ')
                type.pop_back();
            keys[match[1]] = type;
        }
    return keys;
}

bool has_type(const nlohmann::json &value, const std::string &type) {
    if (type == "string")
        return value.is_string();
    if (type == "boolean")
        return value.is_boolean();
    if (type == "integer")
        return value.is_number_integer();
    if (type == "number")
        return value.is_number();
    if (type == "object")
        return value.is_object();
    if (type == "string or false")
        return value.is_string() || value == false;
    if (type == "array of strings" || type == "array of objects") {
        if (!value.is_array())
            return false;
        for (const auto &item : value)
            if (type == "array of strings" ? !item.is_string() : !item.is_object())
                return false;
        return true;
    }
    ADD_FAILURE() << "the document names a type the test does not know: " << type;
    return false;
}

class SchemaWalk {
public:
    SchemaWalk(const std::map<std::string, std::string> &keys, std::string file) : keys_(keys), file_(std::move(file)) {}

    // `documented` is the documented path of `object` ("" at the top, "models[]" inside an
    // entry, "quality_values.*" inside a map); `real` the path shown in failures.
    void object(const nlohmann::json &object, const std::string &documented, const std::string &real = "") {
        for (auto it = object.begin(); it != object.end(); ++it) {
            const std::string shown = (real.empty() ? "" : real + ".") + it.key();
            const std::string key = resolve(documented, it.key());
            auto type = keys_.find(key);
            if (type == keys_.end()) {
                problems.push_back(file_ + ": key \"" + shown + "\" is not documented");
                continue;
            }
            if (!has_type(*it, type->second))
                problems.push_back(file_ + ": \"" + shown + "\" should be " + type->second + ", is " + it->dump());
            if (it->is_object())
                this->object(*it, key, shown);
            if (type->second == "array of objects" && it->is_array())
                for (const auto &entry : *it)
                    this->object(entry, key + "[]", shown + "[]");
        }
    }

private:
    // The documented path of `key` inside `documented`: itself, else its map's "*"; inside a
    // models[] entry also the same model key at the top level.
    std::string resolve(const std::string &documented, const std::string &key) const {
        const std::string prefix = documented.empty() ? "" : documented + ".";
        for (const std::string &candidate : {prefix + key, prefix + "*"}) {
            if (keys_.count(candidate))
                return candidate;
            const std::string entry = "models[].";
            if (candidate.rfind(entry, 0) == 0 && keys_.count(candidate.substr(entry.size())))
                return candidate.substr(entry.size());
        }
        return prefix + key;
    }

    const std::map<std::string, std::string> &keys_;
    std::string file_;

public:
    std::vector<std::string> problems;
};

TEST(ProfileSchema, TheDocumentListsTheRequiredKeys) {
    auto keys = documented_keys();
    for (const char *key : {"name", "base_url", "model", "models", "models[].model", "pricing.kind", "edits.markup",
                            "extra_fields", "complexity_values"})
        EXPECT_TRUE(keys.count(key)) << key << " missing from " << PICTOR_PROFILE_SCHEMA_DOC;
}

TEST(ProfileSchema, EveryShippedProfileUsesOnlyDocumentedKeysOfTheDocumentedTypes) {
    const auto keys = documented_keys();
    ASSERT_GT(keys.size(), 30u) << "the table of " << PICTOR_PROFILE_SCHEMA_DOC << " was not read";
    for (const auto &name : shipped_names()) {
        const std::string path = profiles_dir() + "/" + name + ".json";
        std::ifstream in(path);
        nlohmann::json j = nlohmann::json::parse(in);
        for (const char *required : {"name", "base_url", "model"})
            EXPECT_TRUE(j.contains(required)) << path << " lacks " << required;
        SchemaWalk walk(keys, path);
        walk.object(j, "");
        for (const auto &problem : walk.problems)
            ADD_FAILURE() << problem;
        // And it loads, with its default model first.
        GatewayProfile p = parse_gateway_profile(j, path);
        EXPECT_EQ(p.models.at(0).model, j["model"]) << path;
    }
}

// The walk itself: a key the document does not have, or a wrong type, is reported.
TEST(ProfileSchema, AnUndocumentedKeyOrAWrongTypeIsCaught) {
    const auto keys = documented_keys();
    nlohmann::json j = {{"name", "x"},
                        {"base_url", "https://x/v1"},
                        {"model", "m"},
                        {"models", {{{"model", "n"}, {"quality_values", {{"xhigh", 1}}}}}},
                        {"tokens_per_dollar", 3}};
    SchemaWalk walk(keys, "bad.json");
    walk.object(j, "");
    std::string all;
    for (const auto &problem : walk.problems)
        all += problem + "\n";
    EXPECT_NE(all.find("tokens_per_dollar"), std::string::npos) << all;
    EXPECT_NE(all.find("models[].quality_values.xhigh\" should be string"), std::string::npos) << all;
    EXPECT_EQ(walk.problems.size(), 2u) << all;
}

} // namespace
} // namespace pictor
