#include "private_environment.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <stdexcept>

namespace pictor_obs_test {

PrivateEnvironment::PrivateEnvironment(const std::string &profile_dir) {
    char pattern[] = "/tmp/pictor-obs-test-XXXXXX";
    if (!mkdtemp(pattern))
        throw std::runtime_error("cannot make a temporary folder");
    dir_ = pattern;
    history_dir_ = dir_ + "/history";
    std::filesystem::create_directories(history_dir_);
    std::filesystem::create_directories(dir_ + "/config");
    std::filesystem::create_directories(dir_ + "/data");

    std::random_device random;
    api_key_ = "sk-obs-test-" + std::to_string(random()) + std::to_string(random());

    setenv("HOME", dir_.c_str(), 1);
    setenv("XDG_CONFIG_HOME", (dir_ + "/config").c_str(), 1);
    setenv("XDG_DATA_HOME", (dir_ + "/data").c_str(), 1);
    setenv("PICTOR_HISTORY_DIR", history_dir_.c_str(), 1);
    setenv("PICTOR_API_KEY", api_key_.c_str(), 1);
    for (const char *name : {"OPENAI_API_KEY", "PICTOR_BASE_URL", "OPENAI_BASE_URL", "PICTOR_PROFILE"})
        unsetenv(name);
    if (profile_dir.empty())
        unsetenv("PICTOR_PROFILE_DIR");
    else
        setenv("PICTOR_PROFILE_DIR", profile_dir.c_str(), 1);
}

PrivateEnvironment::~PrivateEnvironment() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
}

std::vector<std::string> PrivateEnvironment::history_files(const std::string &extension) const {
    std::vector<std::string> files;
    for (const auto &entry : std::filesystem::recursive_directory_iterator(history_dir_))
        if (entry.is_regular_file() && entry.path().extension() == extension)
            files.push_back(entry.path().string());
    std::sort(files.begin(), files.end());
    return files;
}

} // namespace pictor_obs_test
