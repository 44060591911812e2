// pictor inpaint: the command line as a host of the command layer — the --image file is the one
// layer, the --selection file the selection; the library's inpaint command does the rest, and
// the new layer comes back composited (-o) and on its own (--layer-out).
#pragma once

#include <string>
#include <vector>

namespace pictor_cli {

int run_inpaint(const std::vector<std::string> &args);

} // namespace pictor_cli
