// Where per-user files live (XDG base directories).
#pragma once

#include <string>

namespace pictor {

std::string user_config_dir(); // $XDG_CONFIG_HOME/pictor, else ~/.config/pictor
std::string user_data_dir();   // $XDG_DATA_HOME/pictor, else ~/.local/share/pictor
std::string default_history_dir(); // $PICTOR_HISTORY_DIR, else user_data_dir()/history

// The value of an environment variable, or "" when unset.
std::string env_or_empty(const char *name);

} // namespace pictor
