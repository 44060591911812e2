#include "store/api_key_store.hpp"

#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "error.hpp"
#include "store/client_settings.hpp"
#include "store/desktop_keyring.hpp"
#include "store/durable_file.hpp"
#include "store/user_dirs.hpp"

namespace pictor {
namespace {

void check_key_text(const std::string &key) {
    if (key.empty())
        throw Error(ErrorKind::invalid_argument, "the API key is empty; paste the key your gateway gave you");
    if (key.size() > 4096)
        throw Error(ErrorKind::invalid_argument, "the API key is longer than 4096 characters; is it the right text?");
    for (unsigned char c : key)
        if (c <= 0x20 || c == 0x7f)
            throw Error(ErrorKind::invalid_argument,
                        "the API key contains spaces or control characters; paste the key alone");
}

// Changes one setting of the config file and keeps every other; the file is replaced whole,
// with mode 0600 (it may hold the key).
template <typename Change> std::string update_config_file(const char *what, Change change) {
    std::string path = config_file_path();
    nlohmann::json config = nlohmann::json::object();
    struct stat info {};
    if (stat(path.c_str(), &info) == 0) {
        config = nlohmann::json::parse(read_whole_file(path), nullptr, false);
        if (config.is_discarded() || !config.is_object())
            throw Error(ErrorKind::io, "the config file " + path + " is not a JSON object, so the " + what +
                                           " was not added to it; fix or delete it");
    }
    change(config);
    make_directories(user_config_dir(), 0700);
    write_file_durably(path, config.dump(2) + "\n", 0600);
    chmod(path.c_str(), 0600); // whatever the umask made of it
    return path;
}

std::string write_key_to_config_file(const std::string &key) {
    return update_config_file("key", [&](nlohmann::json &config) { config["api_key"] = key; });
}

} // namespace

StoredKeyPlace store_api_key(const std::string &api_key, KeyDestination destination) {
    check_key_text(api_key);
    StoredKeyPlace place;
    if (destination != KeyDestination::config_file) {
        KeyringAnswer answer = keyring_store_api_key(api_key);
        if (answer.reachable) {
            place.in_keyring = true;
            place.description = "the desktop keyring (libsecret)";
            return place;
        }
        place.keyring_problem = answer.problem;
        if (destination == KeyDestination::keyring)
            throw Error(ErrorKind::io, "the desktop keyring is not reachable (" + answer.problem +
                                           "); nothing was stored. Store it in the config file instead.");
    }
    place.description = write_key_to_config_file(api_key);
    return place;
}

std::string store_config_setting(const std::string &key, const std::string &value) {
    return update_config_file(key.c_str(), [&](nlohmann::json &config) {
        if (value.empty())
            config.erase(key);
        else
            config[key] = value;
    });
}

std::string store_default_profile(const std::string &profile) { return store_config_setting("profile", profile); }

} // namespace pictor
