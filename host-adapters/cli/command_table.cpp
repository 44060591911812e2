#include "command_table.hpp"

#include "history_command.hpp"
#include "image_commands.hpp"
#include "inpaint_command.hpp"
#include "login_command.hpp"
#include "models_command.hpp"

namespace pictor_cli {

const std::vector<Command> &commands() {
    static const std::vector<Command> table = {
        {"generate", "make images from a text prompt", run_generate},
        {"edit", "change or combine images as a prompt says, optionally through a mask", run_edit},
        {"inpaint", "repaint the selected part of an image, leaving the rest untouched", run_inpaint},
        {"history", "list the images received, or export one again", run_history},
        {"models", "list the models each profile offers and what each accepts", run_models},
        {"login", "keep the API key in the desktop keyring (or a 0600 config file)", run_login},
    };
    return table;
}

const Command *find_command(const std::string &name) {
    for (const Command &command : commands())
        if (name == command.name) return &command;
    return nullptr;
}

} // namespace pictor_cli
