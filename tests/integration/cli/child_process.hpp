// A program run as a child with its stdout and stderr captured, a fixed environment and a hard
// timeout, so a hanging pictor fails its test instead of the whole run.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace pictor_test {

struct ProcessResult {
    int exit_code = -1;      // -1 when killed by a signal
    int term_signal = 0;     // the signal that killed it, 0 if it exited
    bool timed_out = false;  // killed by the hard timeout
    double seconds = 0;      // from start to exit
    std::string out;
    std::string err;
};

// Where the child's stderr goes: a pipe, or a pseudo-terminal for what a user at a terminal sees.
enum class StderrKind { pipe, terminal };

class ChildProcess {
public:
    // argv[0] is the program's path; env replaces the whole environment.
    ChildProcess(const std::vector<std::string> &argv, const std::vector<std::string> &env,
                 StderrKind stderr_kind = StderrKind::pipe);
    ~ChildProcess();  // kills a child still running
    ChildProcess(const ChildProcess &) = delete;
    ChildProcess &operator=(const ChildProcess &) = delete;

    void send_signal(int signal_number);
    // Collects output for up to `seconds`; returns true once the child closed both streams.
    bool pump(double seconds);
    // Waits for the exit; after timeout_s the child is killed and timed_out set.
    ProcessResult wait(double timeout_s);

private:
    void read_ready(int timeout_ms);

    pid_t pid_ = -1;
    int out_fd_ = -1;
    int err_fd_ = -1;
    double started_ = 0;
    ProcessResult result_;
};

ProcessResult run_process(const std::vector<std::string> &argv, const std::vector<std::string> &env,
                          double timeout_s, StderrKind stderr_kind = StderrKind::pipe);

} // namespace pictor_test
