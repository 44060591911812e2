#include "mock_gateway_process.hpp"

#include <curl/curl.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#ifndef PICTOR_TEST_PYTHON
#error "PICTOR_TEST_PYTHON must name the python3 that runs the mock gateway"
#endif
#ifndef PICTOR_MOCK_GATEWAY
#error "PICTOR_MOCK_GATEWAY must name tests/mock_gateway/mock_gateway.py"
#endif

namespace pictor_test {

namespace {

std::string read_whole(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

size_t append_body(char *data, size_t size, size_t count, void *user_data) {
    static_cast<std::string *>(user_data)->append(data, size * count);
    return size * count;
}

bool exited(pid_t pid, std::chrono::milliseconds within) {
    auto deadline = std::chrono::steady_clock::now() + within;
    do {
        int status = 0;
        pid_t got = waitpid(pid, &status, WNOHANG);
        if (got == pid || got < 0) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    } while (std::chrono::steady_clock::now() < deadline);
    return false;
}

} // namespace

MockGatewayProcess::MockGatewayProcess(const std::vector<std::string> &extra_args) {
    char pattern[] = "/tmp/pictor-mock-XXXXXX";
    if (!mkdtemp(pattern)) throw std::runtime_error("mock gateway: cannot make a temporary folder");
    dir_ = pattern;
    const std::string port_file = dir_ + "/port";
    const std::string log_file = dir_ + "/output.log";

    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("mock gateway: fork failed");
    if (pid_ == 0) {
        // Dies with the test process even if the test crashes; --lifetime is the backstop.
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        int log = open(log_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int null = open("/dev/null", O_RDONLY);
        if (log >= 0) {
            dup2(log, STDOUT_FILENO);
            dup2(log, STDERR_FILENO);
        }
        if (null >= 0) dup2(null, STDIN_FILENO);
        std::vector<const char *> argv = {PICTOR_TEST_PYTHON, PICTOR_MOCK_GATEWAY, "--port", "0",
                                          "--port-file", port_file.c_str(), "--lifetime", "900", "--quiet"};
        for (const std::string &arg : extra_args) argv.push_back(arg.c_str());
        argv.push_back(nullptr);
        execv(PICTOR_TEST_PYTHON, const_cast<char *const *>(argv.data()));
        _exit(127);
    }

    curl_global_init(CURL_GLOBAL_DEFAULT);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (std::chrono::steady_clock::now() < deadline) {
        // The mock writes the file through a rename, so any content read is the whole number.
        std::string text = read_whole(port_file);
        if (!text.empty()) {
            port_ = std::atoi(text.c_str());
            if (port_ > 0) return;
        }
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    std::string printed = output();
    stop();
    throw std::runtime_error("mock gateway did not start: " + printed);
}

MockGatewayProcess::~MockGatewayProcess() { stop(); }

void MockGatewayProcess::stop() {
    if (pid_ > 0) {
        kill(pid_, SIGTERM);
        if (!exited(pid_, std::chrono::seconds(3))) {
            kill(pid_, SIGKILL);
            waitpid(pid_, nullptr, 0);
        }
        pid_ = -1;
    }
    if (!dir_.empty()) {
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
        dir_.clear();
    }
}

std::string MockGatewayProcess::base_url(const std::string &profile,
                                         const std::string &scenario) const {
    std::string url = "http://127.0.0.1:" + std::to_string(port_) + "/" + profile;
    if (!scenario.empty()) url += "/" + scenario;
    return url + "/v1";
}

std::string MockGatewayProcess::request(const std::string &method, const std::string &path) const {
    CURL *curl = curl_easy_init();
    if (!curl) throw std::runtime_error("mock gateway: curl_easy_init failed");
    std::string body;
    const std::string url = "http://127.0.0.1:" + std::to_string(port_) + path;
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    if (method == "POST") curl_easy_setopt(curl, CURLOPT_POSTFIELDS, "");
    CURLcode result = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(curl);
    if (result != CURLE_OK)
        throw std::runtime_error("mock gateway: " + method + " " + path + ": " +
                                 curl_easy_strerror(result));
    if (status < 200 || status > 299)
        throw std::runtime_error("mock gateway: " + method + " " + path + ": HTTP " +
                                 std::to_string(status) + ": " + body);
    return body;
}

std::string MockGatewayProcess::get(const std::string &path) const { return request("GET", path); }

void MockGatewayProcess::reset() const { request("POST", "/_mock/reset"); }

nlohmann::json MockGatewayProcess::requests() const {
    return nlohmann::json::parse(get("/_mock/requests"));
}

nlohmann::json MockGatewayProcess::api_requests() const {
    nlohmann::json api = nlohmann::json::array();
    for (const auto &entry : requests()) {
        const auto endpoint = entry.value("endpoint", nlohmann::json());
        if (endpoint == "generations" || endpoint == "edits") api.push_back(entry);
    }
    return api;
}

std::string MockGatewayProcess::output() const {
    return dir_.empty() ? "" : read_whole(dir_ + "/output.log");
}

} // namespace pictor_test
