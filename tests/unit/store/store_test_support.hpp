// Shared by the store tests: a temporary folder, catching pictor::Error, an environment guard.
#pragma once

#include <gtest/gtest.h>

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "error.hpp"

namespace pictor::storetest {

class TempDir {
public:
    TempDir() {
        char pattern[] = "/tmp/pictor-store-test-XXXXXX";
        char *made = mkdtemp(pattern);
        EXPECT_NE(made, nullptr);
        path_ = made ? made : "/tmp/pictor-store-test-failed";
    }
    ~TempDir() {
        // Put write permission back so the cleanup also removes read-only subfolders.
        std::system(("chmod -R u+rwx '" + path_ + "' 2>/dev/null; rm -rf '" + path_ + "'").c_str());
    }
    TempDir(const TempDir &) = delete;
    TempDir &operator=(const TempDir &) = delete;
    const std::string &path() const { return path_; }
    std::string operator/(const std::string &relative) const { return path_ + "/" + relative; }

private:
    std::string path_;
};

inline std::vector<std::string> list_dir(const std::string &path) {
    std::vector<std::string> names;
    if (DIR *dir = opendir(path.c_str())) {
        while (dirent *entry = readdir(dir)) {
            std::string name = entry->d_name;
            if (name != "." && name != "..")
                names.push_back(name);
        }
        closedir(dir);
    }
    std::sort(names.begin(), names.end());
    return names;
}

inline unsigned mode_of(const std::string &path) {
    struct stat info {};
    EXPECT_EQ(stat(path.c_str(), &info), 0) << path;
    return info.st_mode & 07777;
}

inline bool is_dir(const std::string &path) {
    struct stat info {};
    return stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

template <typename F> Error catch_error(F &&f) {
    try {
        std::forward<F>(f)();
    } catch (const Error &e) {
        return e;
    }
    ADD_FAILURE() << "expected a pictor::Error, none was thrown";
    return Error(ErrorKind::internal, "<no error thrown>");
}

#define EXPECT_KIND(error, expected_kind)                                                          \
    EXPECT_STREQ(::pictor::error_kind_name((error).kind()), ::pictor::error_kind_name(expected_kind)) \
        << (error).what()

// Saves the listed variables on construction and puts them back (or unsets them) on destruction.
class EnvGuard {
public:
    explicit EnvGuard(std::vector<std::string> names) {
        for (auto &name : names) {
            const char *value = std::getenv(name.c_str());
            saved_.emplace_back(name, value ? std::optional<std::string>(value) : std::nullopt);
        }
    }
    ~EnvGuard() {
        for (const auto &[name, value] : saved_) {
            if (value)
                setenv(name.c_str(), value->c_str(), 1);
            else
                unsetenv(name.c_str());
        }
    }
    EnvGuard(const EnvGuard &) = delete;
    EnvGuard &operator=(const EnvGuard &) = delete;

private:
    std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

} // namespace pictor::storetest
