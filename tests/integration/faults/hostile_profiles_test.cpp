// A profile folder with things that are not profiles in it (a folder named x.json, a dangling
// symlink, a broken file) never crashes the library or the CLI: they are skipped with a warning.
#include "fault_fixture.hpp"

#include <unistd.h>

#include <filesystem>
#include <map>

namespace pictor_test {
namespace {

class HostileProfiles : public FaultTest {
protected:
    void SetUp() override {
        FaultTest::SetUp();
        profiles_ = dir_ + "/profiles";
        std::filesystem::create_directories(profiles_ + "/x.json");
        ASSERT_EQ(symlink((dir_ + "/nowhere.json").c_str(), (profiles_ + "/y.json").c_str()), 0);
        write_file(profiles_ + "/broken.json", "{not json");
        write_file(profiles_ + "/mine.json", read_file(std::string(PICTOR_PROFILES_DIR) + "/openai.json"));
    }
    std::string profiles_;
};

TEST_F(HostileProfiles, ListingSkipsWhatIsNotAProfile) {
    char *json = nullptr;
    ASSERT_EQ(pictor_list_profiles(profiles_.c_str(), &json), PICTOR_OK) << pictor_thread_last_error()->message;
    nlohmann::json list = nlohmann::json::parse(json);
    pictor_free(json);
    std::vector<std::string> names;
    for (const auto &p : list) names.push_back(p["name"]);
    EXPECT_NE(std::find(names.begin(), names.end(), "mine"), names.end());
    EXPECT_NE(std::find(names.begin(), names.end(), "openai"), names.end()) << "the installed ones still come";
    for (const char *bad : {"x", "y", "broken"})
        EXPECT_EQ(std::find(names.begin(), names.end(), bad), names.end()) << bad;
}

// What the listing left out, by file and reason, for the host to show.
TEST_F(HostileProfiles, TheReportNamesEverySkippedFileAndWhy) {
    char *json = nullptr;
    ASSERT_EQ(pictor_list_profiles_report(profiles_.c_str(), &json), PICTOR_OK) << pictor_thread_last_error()->message;
    nlohmann::json report = nlohmann::json::parse(json);
    pictor_free(json);
    std::vector<std::string> names;
    for (const auto &p : report["profiles"]) names.push_back(p["name"]);
    EXPECT_NE(std::find(names.begin(), names.end(), "mine"), names.end());
    EXPECT_EQ(std::find(names.begin(), names.end(), "broken"), names.end());
    std::map<std::string, std::string> skipped;
    for (const auto &s : report["skipped"]) skipped[s["file"]] = s["reason"];
    EXPECT_EQ(skipped.size(), 3u) << report["skipped"].dump();
    EXPECT_EQ(skipped[profiles_ + "/x.json"], "a folder, not a profile file");
    EXPECT_EQ(skipped[profiles_ + "/y.json"], "a symbolic link to something that does not exist");
    EXPECT_EQ(skipped[profiles_ + "/broken.json"].rfind("not valid JSON", 0), 0u) << skipped[profiles_ + "/broken.json"];
    EXPECT_EQ(skipped.count(profiles_ + "/mine.json"), 0u);
}

TEST_F(HostileProfiles, TheCliWarnsAboutEachSkippedFileWhenListing) {
    for (bool json : {false, true}) {
        SCOPED_TRACE(json);
        std::vector<std::string> args = {"models"};
        if (json) args.push_back("--json");
        ProcessResult r = pictor_cli(args, true, {"PICTOR_PROFILE_DIR=" + profiles_});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        EXPECT_NE(r.out.find("mine"), std::string::npos) << r.out;
        for (const char *line : {"x.json skipped: a folder, not a profile file",
                                 "y.json skipped: a symbolic link to something that does not exist",
                                 "broken.json skipped: not valid JSON"})
            EXPECT_NE(r.err.find(std::string("pictor: warning: profile file ") + profiles_ + "/" + line),
                      std::string::npos) << r.err;
        EXPECT_EQ(r.out.find("skipped"), std::string::npos) << "stdout keeps only the listing: " << r.out;
    }
}

TEST_F(HostileProfiles, AskingForOneIsAnErrorNotACrash) {
    for (const char *bad : {"x", "y", "nothing-by-that-name"}) {
        pictor_client_config config;
        ASSERT_EQ(pictor_client_config_init(&config), PICTOR_OK);
        config.profile = bad;
        config.profile_dir = profiles_.c_str();
        config.api_key = key_.c_str();
        pictor_client *client = nullptr;
        EXPECT_EQ(pictor_client_create(&config, &client), PICTOR_ERR_INVALID_REQUEST) << bad;
        EXPECT_NE(std::string(pictor_thread_last_error()->message).find("unknown profile"), std::string::npos);
        pictor_client_destroy(client);
    }
    ProcessResult r = pictor_cli({"generate", "a cat", "--profile", "x", "-o", dir_ + "/cat.png"}, true,
                                 {"PICTOR_PROFILE_DIR=" + profiles_});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    ProcessResult ok = pictor_cli({"generate", "a cat", "--profile", "mine", "--verbose", "--base-url",
                                   mock().base_url("openai", ""), "-o", dir_ + "/cat.png"},
                                  true, {"PICTOR_PROFILE_DIR=" + profiles_});
    EXPECT_EQ(ok.exit_code, 0) << ok.err;
    EXPECT_NE(ok.err.find("x.json: a folder, not a profile file, skipped"), std::string::npos) << ok.err;
}

} // namespace
} // namespace pictor_test
