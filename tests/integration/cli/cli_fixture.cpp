#include "cli_fixture.hpp"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <sstream>

#include <pictor/pictor.h>

#ifndef PICTOR_CLI_PATH
#error "PICTOR_CLI_PATH must name the pictor binary under test"
#endif

namespace pictor_test {

namespace fs = std::filesystem;

void PictorCli::SetUp() {
    char pattern[] = "/tmp/pictor-cli-test-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    for (const char *sub : {"home", "data", "config", "cache", "history", "out", "in"})
        fs::create_directories(dir_ + "/" + sub);
    std::random_device random;
    std::ostringstream key;
    key << "sk-test-canary-" << std::hex << random() << random() << random();
    key_ = key.str();
    mock_ = std::make_unique<MockGatewayProcess>();
}

void PictorCli::TearDown() {
    mock_.reset();
    std::error_code ignored;
    if (!dir_.empty()) fs::remove_all(dir_, ignored);
}

std::vector<std::string> PictorCli::environment(bool with_key) const {
    // Nothing is inherited: a developer's own key, profile or config never reaches a test.
    std::vector<std::string> env = {
        "PATH=/usr/bin:/bin",
        "LANG=C.UTF-8",
        "HOME=" + dir_ + "/home",
        "XDG_DATA_HOME=" + dir_ + "/data",
        "XDG_CONFIG_HOME=" + dir_ + "/config",
        "XDG_CACHE_HOME=" + dir_ + "/cache",
        "PICTOR_HISTORY_DIR=" + history_dir(),
    };
    if (with_key) env.push_back("PICTOR_API_KEY=" + key_);
    return env;
}

std::vector<std::string> PictorCli::command_line(const std::vector<std::string> &args) const {
    return std::vector<std::string>{PICTOR_CLI_PATH} + args;
}

ProcessResult PictorCli::pictor(const std::vector<std::string> &args, double timeout_s) {
    ProcessResult result = run_process(command_line(args), environment(true), timeout_s);
    expect_key_not_in(result);
    EXPECT_FALSE(result.timed_out) << "pictor did not finish within " << timeout_s << " s";
    return result;
}

ProcessResult PictorCli::pictor_without_key(const std::vector<std::string> &args, double timeout_s) {
    ProcessResult result = run_process(command_line(args), environment(false), timeout_s);
    EXPECT_FALSE(result.timed_out) << "pictor did not finish within " << timeout_s << " s";
    return result;
}

std::vector<std::string> PictorCli::route(const std::string &profile,
                                          const std::string &scenario) const {
    return {"--profile", profile, "--base-url", mock_->base_url(profile, scenario)};
}

std::string PictorCli::out(const std::string &name) const { return dir_ + "/out/" + name; }

std::vector<std::string> PictorCli::output_folder_names() const {
    std::vector<std::string> names;
    for (const auto &entry : fs::directory_iterator(dir_ + "/out"))
        names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

void PictorCli::expect_key_not_in(const ProcessResult &result) const {
    EXPECT_EQ(result.out.find(key_), std::string::npos) << "the API key leaked to stdout";
    EXPECT_EQ(result.err.find(key_), std::string::npos) << "the API key leaked to stderr";
    // A redaction that keeps a long prefix leaks the key just the same.
    const std::string secret_part = key_.substr(std::string("sk-test-canary-").size());
    EXPECT_EQ(result.out.find(secret_part), std::string::npos) << "part of the API key on stdout";
    EXPECT_EQ(result.err.find(secret_part), std::string::npos) << "part of the API key on stderr";
}

std::vector<std::string> operator+(std::vector<std::string> a, const std::vector<std::string> &b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

std::string read_file(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

void write_file(const std::string &path, const std::string &bytes) {
    std::ofstream(path, std::ios::binary) << bytes;
}

bool file_exists(const std::string &path) { return fs::exists(path); }

std::string sha256_of_file(const std::string &path) {
    ProcessResult result = run_process({"/usr/bin/sha256sum", "-b", path}, {"LANG=C"}, 30);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return result.out.substr(0, result.out.find(' '));
}

nlohmann::json single_json_object(const std::string &stdout_text) {
    nlohmann::json parsed = nlohmann::json::parse(stdout_text, nullptr, /*allow_exceptions=*/false);
    EXPECT_TRUE(parsed.is_object()) << "stdout is not one JSON object:\n" << stdout_text;
    EXPECT_EQ(std::count(stdout_text.begin(), stdout_text.end(), '\n'), 1)
        << "stdout holds more than the JSON line:\n" << stdout_text;
    return parsed.is_object() ? parsed : nlohmann::json::object();
}

std::vector<std::string> message_lines(const std::string &stderr_text) {
    static const std::regex progress(R"(^pictor: +[0-9]+\.[0-9]s .*)");
    std::istringstream lines(stderr_text);
    std::vector<std::string> messages;
    for (std::string line; std::getline(lines, line);)
        if (!line.empty() && !std::regex_match(line, progress)) messages.push_back(line);
    return messages;
}

std::string encode_test_image(uint32_t width, uint32_t height, const char *format, bool alpha_hole) {
    std::vector<uint8_t> rgba(static_cast<size_t>(width) * height * 4);
    for (uint32_t y = 0; y < height; ++y) {
        for (uint32_t x = 0; x < width; ++x) {
            uint8_t *p = &rgba[(static_cast<size_t>(y) * width + x) * 4];
            p[0] = static_cast<uint8_t>(x * 255 / width);
            p[1] = static_cast<uint8_t>(y * 255 / height);
            p[2] = 128;
            p[3] = alpha_hole && x < width / 2 ? 0 : 255;
        }
    }
    pictor_image *image = nullptr;
    EXPECT_EQ(pictor_image_from_rgba(width, height, rgba.data(), width * 4, &image), PICTOR_OK);
    uint8_t *data = nullptr;
    size_t size = 0;
    EXPECT_EQ(pictor_image_encode(image, format, -1, &data, &size), PICTOR_OK);
    std::string bytes(reinterpret_cast<const char *>(data), size);
    pictor_free(data);
    pictor_image_free(image);
    return bytes;
}

} // namespace pictor_test
