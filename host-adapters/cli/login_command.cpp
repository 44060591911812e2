#include "login_command.hpp"

#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include <nlohmann/json.hpp>
#include <pictor/pictor.hpp>

#include "exit_status.hpp"
#include "failure_report.hpp"
#include "progress_line.hpp"

namespace pictor_cli {

namespace {

const char kLoginHelp[] =
    "usage: pictor login [--keyring | --file] < key.txt\n"
    "\n"
    "Reads an API key from stdin (at a terminal it asks for it without showing it) and keeps\n"
    "it in the desktop keyring (libsecret: GNOME Keyring, KWallet) when one is reachable, else\n"
    "in \"api_key\" of $XDG_CONFIG_HOME/pictor/config.json with mode 0600. It says which.\n"
    "PICTOR_API_KEY and OPENAI_API_KEY, when set, still win over the stored key.\n"
    "\n"
    "  --keyring  the desktop keyring or nothing\n"
    "  --file     the config file, even when a keyring is reachable\n";

// The key must never be an argument: argv is visible to every user through ps.
std::string read_key(bool terminal) {
    termios saved{};
    bool echo_off = false;
    if (terminal) {
        std::fputs("API key: ", stderr);
        std::fflush(stderr);
        if (tcgetattr(STDIN_FILENO, &saved) == 0) {
            termios quiet = saved;
            quiet.c_lflag &= ~tcflag_t(ECHO);
            echo_off = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
        }
    }
    std::string line;
    std::getline(std::cin, line);
    if (echo_off) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        std::fputs("\n", stderr);
    }
    auto first = line.find_first_not_of(" \t\r\n");
    auto last = line.find_last_not_of(" \t\r\n");
    return first == std::string::npos ? "" : line.substr(first, last - first + 1);
}

} // namespace

int run_login(const std::vector<std::string> &args) {
    pictor_key_store where = PICTOR_KEY_STORE_AUTO;
    for (const std::string &arg : args) {
        if (arg == "--help" || arg == "-h") {
            std::fputs(kLoginHelp, stdout);
            return kExitSuccess;
        } else if (arg == "--keyring") {
            where = PICTOR_KEY_STORE_KEYRING;
        } else if (arg == "--file") {
            where = PICTOR_KEY_STORE_CONFIG_FILE;
        } else {
            std::fprintf(stderr,
                         "pictor: login takes no %s; it reads the key from stdin, e.g. "
                         "pictor login < key.txt (see pictor login --help)\n",
                         arg.c_str());
            return kExitUsage;
        }
    }
    std::string key = read_key(isatty(STDIN_FILENO) != 0);
    char *raw = nullptr;
    pictor_status status = pictor_store_api_key(key.c_str(), where, &raw);
    // Overwrite our copy; the library keeps none.
    for (char &c : key) c = '\0';
    if (status != PICTOR_OK) {
        ProgressLine line(stderr, false);
        std::string message = pictor_thread_last_error()->message;
        // The library says where else the key could go; here that is an option.
        if (where == PICTOR_KEY_STORE_KEYRING) message += " (pictor login --file)";
        return report_failure(Failure::local(status, message), false, line);
    }
    pictor::string_ptr answer_text(raw);
    nlohmann::json answer = nlohmann::json::parse(answer_text.get());
    std::string place = answer.value("where", "");
    if (answer.value("keyring", false)) {
        std::printf("pictor: the API key is stored in %s\n", place.c_str());
    } else {
        std::string problem = answer.value("keyring_problem", "");
        std::printf("pictor: the API key is stored in %s (mode 0600)%s\n", place.c_str(),
                    problem.empty() ? "" : ("; no desktop keyring was used: " + problem).c_str());
    }
    for (const char *name : {"PICTOR_API_KEY", "OPENAI_API_KEY"}) {
        const char *value = std::getenv(name);
        if (value && *value)
            std::printf("pictor: note: %s is set in this environment and wins over the stored key\n", name);
    }
    return kExitSuccess;
}

} // namespace pictor_cli
