// The live status line on stderr: elapsed time and the phase in words. On a terminal it is
// redrawn in place; into a file or pipe it becomes one line per change, so logs stay readable.
#pragma once

#include <cstdio>
#include <string>

#include <pictor/pictor.h>

namespace pictor_cli {

// "waiting for the server, 1/3 done" — the words, without the elapsed time.
std::string describe_progress(const pictor_progress &progress);

class ProgressLine {
public:
    // enabled false: update() draws nothing (--json); print_above() still prints.
    ProgressLine(std::FILE *out, bool enabled);
    ~ProgressLine();
    ProgressLine(const ProgressLine &) = delete;
    ProgressLine &operator=(const ProgressLine &) = delete;

    void update(const pictor_progress &progress);
    // Prints a whole line (a log line, a message) without tearing the live line.
    void print_above(const std::string &line);
    // Erases the live line so what follows starts on a clean line.
    void finish();
    // The live line is drawn: a person is watching at a terminal (and no --json).
    bool live() const { return enabled_ && terminal_; }

    // Fits pictor_request.progress; user_data is the ProgressLine. Returns non-zero to cancel
    // once Ctrl-C was pressed, in case the cancel from the signal handler came too early.
    static int callback(const pictor_progress *progress, void *user_data);

private:
    void draw(const std::string &text);
    void erase();

    std::FILE *out_;
    bool enabled_;
    bool terminal_;
    std::string drawn_;         // what the terminal shows now, "" if nothing
    std::string last_printed_;  // not a terminal: the last words printed, to print only changes
};

} // namespace pictor_cli
