// `pictor models`: the models each profile's route serves and what each accepts.
#pragma once

#include <string>
#include <vector>

namespace pictor_cli {

// args: what follows "models" ("[--profile NAME] [--json]"). Returns the exit status.
int run_models(const std::vector<std::string> &args);

} // namespace pictor_cli
