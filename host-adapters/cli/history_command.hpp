// `pictor history`: the images already paid for, listed and written out again.
#pragma once

#include <string>
#include <vector>

namespace pictor_cli {

// args: what follows "history" ("list [--search TEXT] [--limit N] [--json]", "show ID",
// "export ID -o FILE", "delete ID [--yes]"). Returns the exit status.
int run_history(const std::vector<std::string> &args);

} // namespace pictor_cli
