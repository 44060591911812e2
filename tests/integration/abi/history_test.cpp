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


// What a history browser does through the ABI: list and search (newest first), one entry's
// metadata, a thumbnail made once, loading the image to insert it, deleting.
std::string take_string(char *raw) {
    std::string text = raw ? raw : "";
    pictor_free(raw);
    return text;
}

nlohmann::json search_json(const std::string &dir, const char *text, size_t limit) {
    char *raw = nullptr;
    EXPECT_EQ(pictor_history_search(dir.c_str(), text, limit, &raw), PICTOR_OK) << pictor_thread_last_error()->message;
    return nlohmann::json::parse(take_string(raw));
}

TEST_F(History, ABrowserFindsAnImageByItsPromptShowsItsThumbnailAndLoadsIt) {
    auto c = client("openai");
    std::vector<std::string> served; // history paths, in the order the prompts were sent
    for (const char *prompt : {"a Red umbrella", "a green lighthouse", "another red umbrella"}) {
        pictor_request request;
        pictor_request_init(&request);
        request.prompt = prompt;
        request.size = "1536x1024";
        request.quality = "low";
        ResultPtr result;
        ASSERT_EQ(generate(c.get(), request, result), PICTOR_OK) << pictor_client_last_error(c.get())->message;
        served.push_back(pictor_image_history_path(pictor_result_image(result.get(), 0)));
    }
    nlohmann::json found = search_json(history_dir_, "UMBRELLA", 0);
    ASSERT_EQ(found.size(), 2u);
    EXPECT_EQ(found[0]["prompt"], "another red umbrella") << "newest first";
    EXPECT_EQ(found[1]["prompt"], "a Red umbrella");
    EXPECT_EQ(found[0]["image_path"], served[2]);
    EXPECT_EQ(found[0]["profile"], "openai");
    EXPECT_EQ(found[0]["size"], "1536x1024");
    EXPECT_EQ(found[0]["quality"], "low");
    EXPECT_GT(found[0]["cost_usd_estimate"].get<double>(), 0.0);
    EXPECT_FALSE(found[0]["request_id"].get<std::string>().empty());
    EXPECT_EQ(search_json(history_dir_, nullptr, 1).size(), 1u);
    EXPECT_EQ(search_json(history_dir_, nullptr, 1)[0]["prompt"], "another red umbrella");
    EXPECT_EQ(search_json(history_dir_, "", 0).size(), 3u);

    std::string id = found[0]["id"];
    char *raw = nullptr;
    ASSERT_EQ(pictor_history_entry(history_dir_.c_str(), id.c_str(), &raw), PICTOR_OK);
    nlohmann::json entry = nlohmann::json::parse(take_string(raw));
    EXPECT_EQ(entry["sidecar"]["endpoint"], "generations");
    EXPECT_EQ(entry["sidecar"]["request_id"], found[0]["request_id"]);

    ASSERT_EQ(pictor_history_thumbnail(history_dir_.c_str(), id.c_str(), &raw), PICTOR_OK)
        << pictor_thread_last_error()->message;
    std::string thumb = take_string(raw);
    EXPECT_EQ(thumb, history_dir_ + "/thumbnails/" + id + ".png");
    std::ifstream in(thumb, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    pictor_image *small = nullptr;
    ASSERT_EQ(pictor_decode_image(reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size(), 0, &small), PICTOR_OK);
    EXPECT_EQ(pictor_image_width(small), 128u);
    EXPECT_EQ(pictor_image_height(small), 85u); // 1024 * 128 / 1536, rounded
    pictor_image_free(small);
    struct stat first {}, second {};
    ASSERT_EQ(stat(thumb.c_str(), &first), 0);
    ASSERT_EQ(pictor_history_thumbnail(history_dir_.c_str(), id.c_str(), &raw), PICTOR_OK);
    EXPECT_EQ(take_string(raw), thumb);
    ASSERT_EQ(stat(thumb.c_str(), &second), 0);
    EXPECT_EQ(second.st_ino, first.st_ino);
    EXPECT_EQ(second.st_mtim.tv_nsec, first.st_mtim.tv_nsec);
    EXPECT_EQ(search_json(history_dir_, "", 0).size(), 3u) << "thumbnails are not entries";

    // Insert: the image as received, decoded.
    pictor_image *loaded = nullptr;
    ASSERT_EQ(pictor_history_load(history_dir_.c_str(), id.c_str(), 0, &loaded), PICTOR_OK);
    EXPECT_EQ(pictor_image_width(loaded), 1536u);
    EXPECT_EQ(std::string(pictor_image_history_path(loaded)), served[2]);
    pictor_image_free(loaded);

    ASSERT_EQ(pictor_history_delete(history_dir_.c_str(), id.c_str()), PICTOR_OK);
    EXPECT_FALSE(std::filesystem::exists(served[2]));
    EXPECT_FALSE(std::filesystem::exists(thumb));
    EXPECT_EQ(search_json(history_dir_, "umbrella", 0).size(), 1u);
    EXPECT_EQ(pictor_history_delete(history_dir_.c_str(), id.c_str()), PICTOR_ERR_INVALID_REQUEST);
    EXPECT_EQ(pictor_history_thumbnail(history_dir_.c_str(), id.c_str(), &raw), PICTOR_ERR_INVALID_REQUEST);
    EXPECT_EQ(raw, nullptr);
}

} // namespace
} // namespace pictor_test
