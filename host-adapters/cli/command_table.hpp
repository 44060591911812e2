// The subcommands `pictor` knows. A new one (inpaint, history, login, ...) is one more row in
// command_table.cpp; main() dispatches through the table and lists it in the usage text.
#pragma once

#include <string>
#include <vector>

namespace pictor_cli {

struct Command {
    const char *name;
    const char *summary;  // one line for `pictor --help`
    // args: what follows the command's name (its own --help included). Returns the exit status.
    int (*run)(const std::vector<std::string> &args);
};

const std::vector<Command> &commands();
const Command *find_command(const std::string &name);

} // namespace pictor_cli
