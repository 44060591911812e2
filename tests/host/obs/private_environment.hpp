// A test's own world: a temporary HOME / XDG folders (so the user's pictor configuration and
// key are never read), a history folder, and a made-up API key that the tests then look for
// everywhere it must not appear.
#pragma once

#include <string>
#include <vector>

namespace pictor_obs_test {

class PrivateEnvironment {
public:
    // profile_dir: set PICTOR_PROFILE_DIR to it ("" leaves it unset, so libpictor must find
    // the profiles installed beside itself).
    explicit PrivateEnvironment(const std::string &profile_dir);
    ~PrivateEnvironment(); // removes the folder
    PrivateEnvironment(const PrivateEnvironment &) = delete;
    PrivateEnvironment &operator=(const PrivateEnvironment &) = delete;

    const std::string &dir() const { return dir_; }
    const std::string &history_dir() const { return history_dir_; }
    const std::string &api_key() const { return api_key_; }
    // The files in the history folder with this extension (".png"), sorted.
    std::vector<std::string> history_files(const std::string &extension) const;

private:
    std::string dir_;
    std::string history_dir_;
    std::string api_key_;
};

} // namespace pictor_obs_test
