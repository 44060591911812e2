#include "history_command.hpp"

#include <cstdio>

#include <nlohmann/json.hpp>
#include <pictor/pictor.hpp>

#include "exit_status.hpp"
#include "failure_report.hpp"
#include "output_files.hpp"
#include "progress_line.hpp"

namespace pictor_cli {

namespace {

const char kHistoryHelp[] =
    "usage: pictor history list [--json] [--dir DIR]\n"
    "       pictor history export ID -o FILE [--dir DIR]\n"
    "\n"
    "Every image a gateway sent is kept in the history folder before anything else happens\n"
    "($PICTOR_HISTORY_DIR, else $XDG_DATA_HOME/pictor/history), so a crash or a failed -o\n"
    "loses nothing.\n"
    "\n"
    "  list     one entry per line, oldest first: id, time (UTC), profile, size, prompt,\n"
    "           separated by tabs; --json prints the entries as one JSON array\n"
    "  export   writes entry ID (or a unique start of it) to FILE: the bytes as received, or\n"
    "           converted when FILE's extension names another format\n"
    "  --dir    another history folder\n";

int usage_error(const std::string &message) {
    std::fprintf(stderr, "pictor: %s\n", message.c_str());
    std::fputs("usage: pictor history list [--json] | pictor history export ID -o FILE (see --help)\n", stderr);
    return kExitUsage;
}

int library_failure(pictor_status status) {
    ProgressLine line(stderr, false);
    Failure failure = Failure::from_library(status, *pictor_thread_last_error());
    // Reading local files never sends anything: a missing entry is a usage problem, not a bill.
    return report_failure(failure, false, line);
}

// Tabs and line breaks inside a prompt would break the one-entry-per-line promise.
std::string one_line(std::string text) {
    for (char &c : text)
        if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    return text;
}

std::string field(const nlohmann::json &entry, const char *key) {
    auto it = entry.find(key);
    std::string value = it != entry.end() && it->is_string() ? it->get<std::string>() : "";
    return value.empty() ? "-" : one_line(value);
}

int list_entries(const char *dir, bool json) {
    char *raw = nullptr;
    pictor_status status = pictor_history_list(dir, &raw);
    if (status != PICTOR_OK) return library_failure(status);
    pictor::string_ptr text(raw);
    if (json) {
        std::printf("%s\n", text.get());
        return kExitSuccess;
    }
    nlohmann::json entries = nlohmann::json::parse(text.get());
    for (const auto &entry : entries)
        std::printf("%s\t%s\t%s\t%s\t%s\n", field(entry, "id").c_str(), field(entry, "time").c_str(),
                    field(entry, "profile").c_str(), field(entry, "size").c_str(),
                    field(entry, "prompt").c_str());
    if (entries.empty())
        std::fprintf(stderr, "pictor: the history is empty\n");
    return kExitSuccess;
}

int export_entry(const char *dir, const std::string &id, const std::string &output) {
    std::string folder_error = check_output_folder(output);
    if (!folder_error.empty()) return usage_error("cannot write -o " + output + ": " + folder_error);
    pictor_image *raw = nullptr;
    pictor_status status = pictor_history_load(dir, id.c_str(), 0, &raw);
    if (status != PICTOR_OK) return library_failure(status);
    pictor::image_ptr image(raw);
    std::string error = write_image(image.get(), output, -1, &status);
    if (!error.empty()) {
        ProgressLine line(stderr, false);
        return report_failure(Failure::local(status, error), false, line);
    }
    std::printf("%s\n", output.c_str());
    return kExitSuccess;
}

} // namespace

int run_history(const std::vector<std::string> &args) {
    if (args.empty()) return usage_error("history needs a subcommand: list or export");
    std::string action = args[0];
    if (action == "--help" || action == "-h") {
        std::fputs(kHistoryHelp, stdout);
        return kExitSuccess;
    }
    std::string dir, output, id;
    bool json = false;
    for (size_t i = 1; i < args.size(); ++i) {
        const std::string &arg = args[i];
        auto value = [&]() -> const std::string * { return i + 1 < args.size() ? &args[++i] : nullptr; };
        if (arg == "--help" || arg == "-h") {
            std::fputs(kHistoryHelp, stdout);
            return kExitSuccess;
        } else if (arg == "--json") {
            json = true;
        } else if (arg == "--dir" || arg == "-o" || arg == "--output") {
            const std::string *v = value();
            if (!v) return usage_error(arg + " needs a value");
            (arg == "--dir" ? dir : output) = *v;
        } else if (!arg.empty() && arg[0] == '-') {
            return usage_error("unknown option " + arg + " for history " + action);
        } else if (id.empty()) {
            id = arg;
        } else {
            return usage_error("unexpected argument " + arg);
        }
    }
    const char *dir_or_default = dir.empty() ? nullptr : dir.c_str();
    if (action == "list") {
        if (!id.empty()) return usage_error("history list takes no id");
        return list_entries(dir_or_default, json);
    }
    if (action == "export") {
        if (id.empty() || output.empty()) return usage_error("history export needs an ID and -o FILE");
        return export_entry(dir_or_default, id, output);
    }
    return usage_error("unknown history subcommand " + action + " (list or export)");
}

} // namespace pictor_cli
