#include "command_table.hpp"

#include "image_commands.hpp"

namespace pictor_cli {

const std::vector<Command> &commands() {
    static const std::vector<Command> table = {
        {"generate", "make images from a text prompt", run_generate},
        {"edit", "change or combine images as a prompt says, optionally through a mask", run_edit},
    };
    return table;
}

const Command *find_command(const std::string &name) {
    for (const Command &command : commands())
        if (name == command.name) return &command;
    return nullptr;
}

} // namespace pictor_cli
