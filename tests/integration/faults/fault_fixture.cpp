#include "fault_fixture.hpp"

#include <openssl/sha.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>

#ifndef PICTOR_CLI_PATH
#error "PICTOR_CLI_PATH must name the pictor binary under test"
#endif

namespace pictor_test {

namespace fs = std::filesystem;

std::unique_ptr<MockGatewayProcess> FaultTest::mock_;

double now_seconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::vector<std::pair<std::string, std::string>> files_below(const std::string &dir) {
    std::vector<std::pair<std::string, std::string>> files;
    std::error_code ignored;
    if (!fs::exists(dir, ignored)) return files;
    for (const auto &entry : fs::recursive_directory_iterator(dir, ignored))
        if (entry.is_regular_file()) files.emplace_back(entry.path().string(), read_file(entry.path().string()));
    return files;
}

std::string read_file(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

void write_file(const std::string &path, const std::string &bytes) {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
}

std::string sha256_hex(const std::string &bytes) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char *>(bytes.data()), bytes.size(), digest);
    static const char hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned char byte : digest) {
        out += hex[byte >> 4];
        out += hex[byte & 15];
    }
    return out;
}

std::string encode_picture(uint32_t width, uint32_t height, const char *format, bool noise) {
    std::vector<uint8_t> rgba(size_t(width) * height * 4);
    std::mt19937 random(7);
    for (size_t i = 0; i < rgba.size(); ++i) rgba[i] = noise ? uint8_t(random()) : uint8_t(i * 7 / 3);
    for (size_t i = 3; i < rgba.size(); i += 4) rgba[i] = 255;
    pictor_image *image = nullptr;
    EXPECT_EQ(pictor_image_from_rgba(width, height, rgba.data(), size_t(width) * 4, &image), PICTOR_OK);
    uint8_t *bytes = nullptr;
    size_t size = 0;
    EXPECT_EQ(pictor_image_encode(image, format, -1, &bytes, &size), PICTOR_OK);
    std::string out(reinterpret_cast<char *>(bytes), size);
    pictor_free(bytes);
    pictor_image_free(image);
    return out;
}

void FaultTest::SetUpTestSuite() { mock_ = std::make_unique<MockGatewayProcess>(); }

void FaultTest::TearDownTestSuite() { mock_.reset(); }

void FaultTest::SetUp() {
    std::random_device random;
    key_ = "sk-fault-canary-" + std::to_string(random()) + std::to_string(random());
    char pattern[] = "/tmp/pictor-faults-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    history_dir_ = dir_ + "/history";
    for (const char *name : {"PICTOR_API_KEY", "OPENAI_API_KEY", "PICTOR_BASE_URL", "OPENAI_BASE_URL",
                             "PICTOR_PROFILE", "PICTOR_HISTORY_DIR", "PICTOR_CA_FILE", "DBUS_SESSION_BUS_ADDRESS"})
        unsetenv(name);
    setenv("XDG_CONFIG_HOME", (dir_ + "/config").c_str(), 1);
    setenv("XDG_DATA_HOME", (dir_ + "/data").c_str(), 1);
    mock().reset();
}

void FaultTest::TearDown() {
    // Whatever the fault, the canary key never reaches the disk (sidecars, temp files, ...),
    // except the one file a test chose to put it in (config.json, checked by that test).
    for (const auto &[path, content] : files_below(dir_))
        if (path.find("/config/pictor/config.json") == std::string::npos &&
            path.find("/key-input") == std::string::npos) {
            EXPECT_EQ(content.find(key_), std::string::npos) << "the API key was written to " << path;
        }
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
}

std::vector<std::string> FaultTest::history_files() const {
    std::vector<std::string> names;
    for (const auto &[path, content] : files_below(history_dir_)) names.push_back(path);
    return names;
}

namespace {

struct ProgressSink {
    std::mutex lock;
    std::vector<pictor_progress> seen;
    const std::function<int(const pictor_progress &)> *user = nullptr;

    static int callback(const pictor_progress *progress, void *data) {
        auto *sink = static_cast<ProgressSink *>(data);
        {
            std::lock_guard<std::mutex> guard(sink->lock);
            sink->seen.push_back(*progress);
        }
        return sink->user && *sink->user ? (*sink->user)(*progress) : 0;
    }
};

} // namespace

Outcome FaultTest::run(const std::string &profile, const std::string &scenario, const RunOptions &options) {
    mock().reset();
    pictor_client_config config;
    EXPECT_EQ(pictor_client_config_init(&config), PICTOR_OK);
    std::string url = options.base_url.empty() ? mock().base_url(profile, scenario) : options.base_url;
    config.profile = profile.c_str();
    config.base_url = url.c_str();
    config.api_key = key_.c_str();
    config.history_dir = history_dir_.c_str();
    config.profile_dir = PICTOR_PROFILES_DIR;
    config.max_response_bytes = options.max_response_bytes;
    config.max_pixels = options.max_pixels;
    config.max_retries = options.max_retries;
    config.ca_file = options.ca_file.empty() ? nullptr : options.ca_file.c_str();
    pictor_client *client = nullptr;
    Outcome out;
    if (pictor_client_create(&config, &client) != PICTOR_OK) {
        ADD_FAILURE() << pictor_thread_last_error()->message;
        out.status = PICTOR_ERR_INTERNAL;
        return out;
    }

    ProgressSink sink;
    sink.user = &options.on_progress;
    std::vector<pictor_input_image> inputs;
    for (const auto &bytes : options.edit_images)
        inputs.push_back({reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size(), nullptr});
    pictor_request request;
    pictor_request_init(&request);
    request.prompt = "a fault-injection test";
    request.quality = options.quality;
    request.timeout_s = options.timeout_s;
    request.progress = ProgressSink::callback;
    request.progress_user_data = &sink;
    request.images = inputs.empty() ? nullptr : inputs.data();
    request.image_count = inputs.size();

    std::thread beside;
    if (options.beside) beside = std::thread(options.beside, client);
    pictor_result *result = nullptr;
    double start = now_seconds();
    out.status = inputs.empty() ? pictor_generate(client, &request, &result) : pictor_edit(client, &request, &result);
    out.seconds = now_seconds() - start;
    if (beside.joinable()) beside.join();

    const pictor_error *error = pictor_client_last_error(client);
    out.kind = error->kind;
    out.message = error->message;
    out.code = error->code;
    out.request_id = error->request_id;
    out.http_status = error->http_status;
    out.request_sent = error->request_sent != 0;
    out.may_be_billed = error->may_be_billed != 0;
    out.error_history_path = error->history_path ? error->history_path : "";
    if (out.status != PICTOR_OK) {
        EXPECT_EQ(result, nullptr) << "out-parameters are NULL on failure";
    }
    if (result) {
        out.images = pictor_result_image_count(result);
        out.metadata = nlohmann::json::parse(pictor_result_json(result));
        if (out.images > 0) {
            const pictor_image *image = pictor_result_image(result, 0);
            out.history_path = pictor_image_history_path(image);
            size_t size = 0;
            const uint8_t *bytes = pictor_image_encoded(image, &size);
            out.first_image_bytes.assign(reinterpret_cast<const char *>(bytes), size);
        }
        pictor_result_free(result);
    }
    pictor_client_destroy(client);
    // The message is for people and logs: it must never carry the key.
    EXPECT_EQ(out.message.find(key_), std::string::npos) << out.message;
    out.api_requests = mock().api_requests();
    out.progress = sink.seen;
    return out;
}

std::vector<std::string> FaultTest::cli_environment(bool with_key, const std::vector<std::string> &extra) const {
    std::vector<std::string> env = {
        "PATH=/usr/bin:/bin",
        "LANG=C.UTF-8",
        "HOME=" + dir_ + "/home",
        "XDG_DATA_HOME=" + dir_ + "/data",
        "XDG_CONFIG_HOME=" + dir_ + "/config",
        "XDG_CACHE_HOME=" + dir_ + "/cache",
        "PICTOR_HISTORY_DIR=" + history_dir_,
    };
    if (with_key) env.push_back("PICTOR_API_KEY=" + key_);
    env.insert(env.end(), extra.begin(), extra.end());
    return env;
}

ProcessResult FaultTest::pictor_cli(const std::vector<std::string> &args, bool with_key,
                                    const std::vector<std::string> &extra, double timeout_s) const {
    fs::create_directories(dir_ + "/home");
    std::vector<std::string> argv = {PICTOR_CLI_PATH};
    argv.insert(argv.end(), args.begin(), args.end());
    ProcessResult result = run_process(argv, cli_environment(with_key, extra), timeout_s);
    EXPECT_FALSE(result.timed_out) << "pictor did not finish within " << timeout_s << " s";
    EXPECT_EQ(result.out.find(key_), std::string::npos) << "the key was printed on stdout";
    EXPECT_EQ(result.err.find(key_), std::string::npos) << "the key was printed on stderr";
    return result;
}

} // namespace pictor_test
