#include "store/user_dirs.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

namespace pictor {
namespace {

std::string home_dir() {
    std::string home = env_or_empty("HOME");
    if (!home.empty())
        return home;
    if (const passwd *pw = getpwuid(getuid()); pw && pw->pw_dir)
        return pw->pw_dir;
    return "/tmp";
}

} // namespace

std::string env_or_empty(const char *name) {
    const char *value = std::getenv(name);
    return value ? value : "";
}

std::string user_config_dir() {
    std::string base = env_or_empty("XDG_CONFIG_HOME");
    return (base.empty() ? home_dir() + "/.config" : base) + "/pictor";
}

std::string user_data_dir() {
    std::string base = env_or_empty("XDG_DATA_HOME");
    return (base.empty() ? home_dir() + "/.local/share" : base) + "/pictor";
}

std::string default_history_dir() {
    std::string dir = env_or_empty("PICTOR_HISTORY_DIR");
    return dir.empty() ? user_data_dir() + "/history" : dir;
}

} // namespace pictor
