// generate and edit: options in, one request through the library, files out.
#pragma once

#include <string>
#include <vector>

namespace pictor_cli {

// args: what follows the command's name. Return the process's exit status.
int run_generate(const std::vector<std::string> &args);
int run_edit(const std::vector<std::string> &args);

} // namespace pictor_cli
