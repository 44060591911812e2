#include "child_process.hpp"

#include <fcntl.h>
#include <stdlib.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <stdexcept>
#include <thread>

namespace pictor_test {

namespace {

double now_s() {
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
}

std::vector<char *> c_strings(const std::vector<std::string> &strings) {
    std::vector<char *> pointers;
    for (const std::string &s : strings) pointers.push_back(const_cast<char *>(s.c_str()));
    pointers.push_back(nullptr);
    return pointers;
}

// A pseudo-terminal pair: [0] the side the test reads, [1] the child's stderr.
void open_terminal(int fds[2]) {
    int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0)
        throw std::runtime_error("no pseudo-terminal");
    int slave = open(ptsname(master), O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (slave < 0) throw std::runtime_error("cannot open the pseudo-terminal");
    fds[0] = master;
    fds[1] = slave;
}

} // namespace

ChildProcess::ChildProcess(const std::vector<std::string> &argv, const std::vector<std::string> &env,
                           StderrKind stderr_kind) {
    int out_pipe[2], err_pipe[2];
    if (pipe2(out_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    if (stderr_kind == StderrKind::terminal)
        open_terminal(err_pipe);
    else if (pipe2(err_pipe, O_CLOEXEC) != 0)
        throw std::runtime_error("pipe failed");
    std::vector<char *> args = c_strings(argv);
    std::vector<char *> envp = c_strings(env);
    started_ = now_s();
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        int null = open("/dev/null", O_RDONLY);
        if (null >= 0) dup2(null, STDIN_FILENO);
        dup2(out_pipe[1], STDOUT_FILENO);
        dup2(err_pipe[1], STDERR_FILENO);
        // The test runner may ignore or block SIGINT; the child must see it as a shell would.
        signal(SIGINT, SIG_DFL);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        execve(args[0], args.data(), envp.data());
        const char message[] = "exec failed\n";
        (void)!write(STDERR_FILENO, message, sizeof message - 1);
        _exit(127);
    }
    close(out_pipe[1]);
    close(err_pipe[1]);
    out_fd_ = out_pipe[0];
    err_fd_ = err_pipe[0];
}

ChildProcess::~ChildProcess() {
    if (pid_ > 0) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
    }
    if (out_fd_ >= 0) close(out_fd_);
    if (err_fd_ >= 0) close(err_fd_);
}

void ChildProcess::send_signal(int signal_number) {
    if (pid_ > 0) kill(pid_, signal_number);
}

void ChildProcess::read_ready(int timeout_ms) {
    pollfd fds[2];
    int count = 0;
    if (out_fd_ >= 0) fds[count++] = {out_fd_, POLLIN, 0};
    if (err_fd_ >= 0) fds[count++] = {err_fd_, POLLIN, 0};
    if (count == 0) return;
    if (poll(fds, count, timeout_ms) <= 0) return;
    for (int i = 0; i < count; ++i) {
        if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        int &fd = fds[i].fd == out_fd_ ? out_fd_ : err_fd_;
        std::string &sink = fds[i].fd == out_fd_ ? result_.out : result_.err;
        char buffer[65536];
        ssize_t n = read(fd, buffer, sizeof buffer);
        if (n > 0) {
            sink.append(buffer, static_cast<size_t>(n));
        } else if (n == 0 || errno != EINTR) {
            // EOF; a pseudo-terminal reports EIO instead once the child has closed its side.
            close(fd);
            fd = -1;
        }
    }
}

bool ChildProcess::pump(double seconds) {
    const double deadline = now_s() + seconds;
    while (out_fd_ >= 0 || err_fd_ >= 0) {
        double left = deadline - now_s();
        if (left <= 0) return false;
        read_ready(static_cast<int>(left * 1000) + 1);
    }
    return true;
}

ProcessResult ChildProcess::wait(double timeout_s) {
    const double deadline = started_ + timeout_s;
    bool closed = pump(deadline - now_s());
    int status = 0;
    pid_t got = 0;
    if (closed) {
        // Both streams closed: the child is exiting; give it until the deadline to be reaped.
        while ((got = waitpid(pid_, &status, WNOHANG)) == 0 && now_s() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (got != pid_) {
        result_.timed_out = true;
        kill(pid_, SIGKILL);
        waitpid(pid_, &status, 0);
    }
    pid_ = -1;
    result_.seconds = now_s() - started_;
    if (WIFEXITED(status)) result_.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) result_.term_signal = WTERMSIG(status);
    pump(0.2);  // whatever was still buffered
    return result_;
}

ProcessResult run_process(const std::vector<std::string> &argv, const std::vector<std::string> &env,
                          double timeout_s, StderrKind stderr_kind) {
    ChildProcess child(argv, env, stderr_kind);
    return child.wait(timeout_s);
}

} // namespace pictor_test
