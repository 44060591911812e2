// `pictor history`: finding a paid image again by its prompt, everything known about it, and
// deleting it only when the user said so.
#include <filesystem>

#include "cli_fixture.hpp"

namespace pictor_test {
namespace {

class PictorCliHistory : public PictorCli {
protected:
    // Three paid images, oldest first: two umbrellas around a lighthouse.
    void make_three() {
        for (const char *prompt : {"a Red umbrella", "a green lighthouse", "another red UMBRELLA"}) {
            ProcessResult r = pictor(std::vector<std::string>{"generate", prompt, "--quality", "low", "-o", out("x.png")} +
                                     route("openai"));
            ASSERT_EQ(r.exit_code, 0) << r.err;
        }
    }
    std::vector<std::string> lines(const std::string &text) {
        std::vector<std::string> out;
        size_t start = 0;
        for (size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1)
            out.push_back(text.substr(start, end - start));
        return out;
    }
    std::vector<std::string> with_dir(std::vector<std::string> args) { return args + std::vector<std::string>{"--dir", history_dir()}; }
};

TEST_F(PictorCliHistory, SearchAndLimitKeepTheNewestMatchesPrintedOldestFirst) {
    make_three();
    ProcessResult all = pictor(with_dir({"history", "list"}));
    ASSERT_EQ(all.exit_code, 0) << all.err;
    ASSERT_EQ(lines(all.out).size(), 3u) << all.out;

    ProcessResult found = pictor(with_dir({"history", "list", "--search", "umbrella"}));
    ASSERT_EQ(found.exit_code, 0) << found.err;
    std::vector<std::string> rows = lines(found.out);
    ASSERT_EQ(rows.size(), 2u) << found.out;
    EXPECT_NE(rows[0].find("\ta Red umbrella"), std::string::npos) << rows[0];
    EXPECT_NE(rows[1].find("\tanother red UMBRELLA"), std::string::npos) << rows[1];

    ProcessResult newest = pictor(with_dir({"history", "list", "--limit", "1"}));
    ASSERT_EQ(lines(newest.out).size(), 1u) << newest.out;
    EXPECT_NE(newest.out.find("another red UMBRELLA"), std::string::npos) << newest.out;

    ProcessResult json = pictor(with_dir({"history", "list", "--search", "LIGHTHOUSE", "--limit", "5", "--json"}));
    nlohmann::json entries = nlohmann::json::parse(json.out);
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0]["prompt"], "a green lighthouse");

    ProcessResult none = pictor(with_dir({"history", "list", "--search", "submarine"}));
    EXPECT_EQ(none.exit_code, 0);
    EXPECT_TRUE(none.out.empty());
    EXPECT_NE(none.err.find("no history entry matches"), std::string::npos) << none.err;

    for (const char *bad : {"0", "-2", "many"}) {
        ProcessResult r = pictor(with_dir({"history", "list", "--limit", bad}));
        EXPECT_EQ(r.exit_code, 2) << bad;
        EXPECT_NE(r.err.find("--limit"), std::string::npos) << r.err;
    }
}

TEST_F(PictorCliHistory, ShowPrintsEverythingTheSidecarKnows) {
    make_three();
    nlohmann::json entries = nlohmann::json::parse(pictor(with_dir({"history", "list", "--json"})).out);
    ASSERT_EQ(entries.size(), 3u);
    std::string id = entries[1]["id"];
    std::string sidecar_path = entries[1]["sidecar_path"];
    nlohmann::json sidecar = nlohmann::json::parse(read_file(sidecar_path));

    ProcessResult shown = pictor(with_dir({"history", "show", id.substr(0, id.size() - 2)}));
    ASSERT_EQ(shown.exit_code, 0) << shown.err;
    for (const auto &[key, value] : sidecar.items()) {
        std::string expected = value.is_string() ? value.get<std::string>() : value.dump();
        EXPECT_NE(shown.out.find(key + ": " + expected + "\n"), std::string::npos)
            << "missing " << key << ": " << expected << "\nin:\n" << shown.out;
    }
    EXPECT_NE(shown.out.find("prompt: a green lighthouse\n"), std::string::npos) << shown.out;
    EXPECT_NE(shown.out.find("image_path: " + entries[1]["image_path"].get<std::string>()), std::string::npos);

    ProcessResult json = pictor(with_dir({"history", "show", id, "--json"}));
    nlohmann::json object = nlohmann::json::parse(json.out);
    EXPECT_EQ(object["sidecar"], sidecar);
    EXPECT_EQ(object["id"], id);

    ProcessResult missing = pictor(with_dir({"history", "show", "20000101-000000-zzzzzz-1"}));
    EXPECT_EQ(missing.exit_code, 2);
    EXPECT_NE(missing.err.find("no history entry"), std::string::npos) << missing.err;
}

TEST_F(PictorCliHistory, DeleteRefusesWithoutYesWhenNobodyCanBeAskedAndDeletesWithIt) {
    make_three();
    nlohmann::json entries = nlohmann::json::parse(pictor(with_dir({"history", "list", "--json"})).out);
    std::string id = entries[0]["id"];
    std::string image = entries[0]["image_path"], sidecar = entries[0]["sidecar_path"];

    // The tests' stdin is /dev/null: not a terminal, so nobody could answer the question.
    ProcessResult refused = pictor(with_dir({"history", "delete", id}));
    EXPECT_EQ(refused.exit_code, 2);
    EXPECT_NE(refused.err.find("--yes"), std::string::npos) << refused.err;
    EXPECT_TRUE(std::filesystem::exists(image));
    EXPECT_TRUE(std::filesystem::exists(sidecar));

    ProcessResult deleted = pictor(with_dir({"history", "delete", id, "--yes"}));
    ASSERT_EQ(deleted.exit_code, 0) << deleted.err;
    EXPECT_EQ(deleted.out, "deleted " + id + "\n");
    EXPECT_FALSE(std::filesystem::exists(image));
    EXPECT_FALSE(std::filesystem::exists(sidecar));
    nlohmann::json left = nlohmann::json::parse(pictor(with_dir({"history", "list", "--json"})).out);
    ASSERT_EQ(left.size(), 2u);
    EXPECT_EQ(left[0]["id"], entries[1]["id"]);

    ProcessResult again = pictor(with_dir({"history", "delete", id, "--yes"}));
    EXPECT_EQ(again.exit_code, 2);
}

} // namespace
} // namespace pictor_test
