// Every image received is on disk, with what was asked for it, before the host sees it.
#include "abi_fixture.hpp"

#include <filesystem>
#include <fstream>
#include <sys/stat.h>

namespace pictor_test {
namespace {

class History : public AbiTest {};

TEST_F(History, EachImageAndItsSidecarAreWrittenBeforeReturning) {
    auto c = client("openai");
    pictor_request request;
    pictor_request_init(&request);
    request.prompt = "history please";
    request.n = 2;
    request.size = "1024x1024";
    request.quality = "low";
    ResultPtr result;
    ASSERT_EQ(generate(c.get(), request, result), PICTOR_OK) << pictor_client_last_error(c.get())->message;
    ASSERT_EQ(pictor_result_image_count(result.get()), 2u);
    for (size_t i = 0; i < 2; ++i) {
        const pictor_image *image = pictor_result_image(result.get(), i);
        std::string path = pictor_image_history_path(image);
        ASSERT_FALSE(path.empty());
        EXPECT_EQ(path.rfind(history_dir_, 0), 0u) << path;
        std::ifstream in(path, std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        size_t size = 0;
        const uint8_t *encoded = pictor_image_encoded(image, &size);
        EXPECT_EQ(bytes, std::string(reinterpret_cast<const char *>(encoded), size)) << "the bytes as received";
        struct stat info {};
        ASSERT_EQ(stat(path.c_str(), &info), 0);
        EXPECT_EQ(info.st_mode & 0777, 0600u);

        std::string sidecar_path = path.substr(0, path.rfind('.')) + ".json";
        nlohmann::json sidecar = nlohmann::json::parse(std::ifstream(sidecar_path));
        EXPECT_EQ(sidecar["prompt"], "history please");
        EXPECT_EQ(sidecar["profile"], "openai");
        EXPECT_EQ(sidecar["model"], "gpt-image-2");
        EXPECT_EQ(sidecar["size"], "1024x1024");
        EXPECT_EQ(sidecar["parameters"]["quality"], "low");
        EXPECT_EQ(sidecar["request_id"], pictor_image_request_id(image));
        EXPECT_TRUE(sidecar["usage"].is_object());
        EXPECT_GT(sidecar["cost_usd_estimate"].get<double>(), 0.0);
        EXPECT_TRUE(sidecar.contains("time"));
        EXPECT_TRUE(sidecar.contains("id"));
    }
    EXPECT_EQ(metadata(result.get())["history"].size(), 2u);
}

TEST_F(History, HistoryFolderComesFromTheEnvironment) {
    std::string dir = temp_dir_ + "/from-env";
    setenv("PICTOR_HISTORY_DIR", dir.c_str(), 1);
    pictor_client_config config;
    pictor_client_config_init(&config);
    std::string url = mock().base_url("openai");
    config.base_url = url.c_str();
    config.api_key = key_.c_str();
    config.profile_dir = PICTOR_PROFILES_DIR;
    pictor_client *raw = nullptr;
    ASSERT_EQ(pictor_client_create(&config, &raw), PICTOR_OK);
    ClientPtr c(raw);
    pictor_request request;
    pictor_request_init(&request);
    request.prompt = "env history";
    ResultPtr result;
    ASSERT_EQ(generate(c.get(), request, result), PICTOR_OK) << pictor_client_last_error(c.get())->message;
    EXPECT_EQ(std::string(pictor_image_history_path(pictor_result_image(result.get(), 0))).rfind(dir, 0), 0u);
    unsetenv("PICTOR_HISTORY_DIR");
}

TEST_F(History, AnUnwritableHistoryIsFoundBeforeAnythingIsSent) {
    std::string blocker = temp_dir_ + "/not-a-folder";
    std::ofstream(blocker) << "a file where the history folder should be";
    pictor_client_config config;
    pictor_client_config_init(&config);
    std::string url = mock().base_url("openai");
    std::string history = blocker + "/history";
    config.base_url = url.c_str();
    config.api_key = key_.c_str();
    config.history_dir = history.c_str();
    config.profile_dir = PICTOR_PROFILES_DIR;
    pictor_client *raw = nullptr;
    ASSERT_EQ(pictor_client_create(&config, &raw), PICTOR_OK);
    ClientPtr c(raw);
    pictor_request request;
    pictor_request_init(&request);
    request.prompt = "still mine";
    ResultPtr result;
    // Every paid image goes to history first: when it cannot, nothing is sent (or billed).
    mock().reset();
    ASSERT_EQ(generate(c.get(), request, result), PICTOR_ERR_IO);
    const pictor_error *error = pictor_client_last_error(c.get());
    EXPECT_EQ(error->request_sent, 0);
    EXPECT_EQ(error->may_be_billed, 0);
    EXPECT_NE(std::string(error->message).find("history"), std::string::npos) << error->message;
    EXPECT_TRUE(mock().api_requests().empty());
}

} // namespace
} // namespace pictor_test
