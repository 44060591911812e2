// pictor: gpt-image-2 from the command line, through the public C API only (pictor/pictor.h).
#include <cstdio>
#include <string>
#include <vector>

#include <pictor/pictor.h>

#include "command_table.hpp"
#include "exit_status.hpp"

namespace {

using namespace pictor_cli;

void print_usage(std::FILE *out) {
    std::fputs("usage: pictor COMMAND [options]\n"
               "       pictor --version\n"
               "       pictor --help\n"
               "\ncommands:\n",
               out);
    for (const Command &command : commands())
        std::fprintf(out, "  %-10s %s\n", command.name, command.summary);
    std::fputs("\nRun 'pictor COMMAND --help' for a command's options.\n", out);
}

// The program and the shared library are installed separately: a library of another release
// line is refused before anything runs, with what to do, rather than misbehave later.
bool library_matches() {
    if (pictor_library_is_compatible()) return true;
    std::fprintf(stderr,
                 "pictor: built for libpictor %d.%d.%d but running with %s; "
                 "reinstall pictor and libpictor from the same release\n",
                 PICTOR_VERSION_MAJOR, PICTOR_VERSION_MINOR, PICTOR_VERSION_PATCH, pictor_version_string());
    return false;
}

int print_version() {
    std::printf("pictor %s\n", pictor_version_string());
    return library_matches() ? kExitSuccess : kExitFailure;
}

} // namespace

int main(int argc, char **argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        print_usage(stderr);
        return kExitUsage;
    }
    const std::string &first = args[0];
    if (first == "--version") return print_version();
    if (first == "--help" || first == "-h") {
        print_usage(stdout);
        return kExitSuccess;
    }
    if (!library_matches()) return kExitFailure;
    const Command *command = find_command(first);
    if (!command) {
        std::fprintf(stderr, "pictor: %s '%s'\n", first[0] == '-' ? "unknown option" : "unknown command",
                     first.c_str());
        print_usage(stderr);
        return kExitUsage;
    }
    return command->run(std::vector<std::string>(args.begin() + 1, args.end()));
}
