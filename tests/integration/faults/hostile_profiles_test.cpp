// A profile folder with things that are not profiles in it (a folder named x.json, a dangling
// symlink, a broken file) never crashes the library or the CLI: they are skipped with a warning.
#include "fault_fixture.hpp"

#include <unistd.h>

#include <filesystem>

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
    EXPECT_NE(ok.err.find("x.json: not a readable regular file, skipped"), std::string::npos) << ok.err;
}

} // namespace
} // namespace pictor_test
