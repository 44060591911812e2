#include "interrupt.hpp"

#include <atomic>
#include <csignal>
#include <initializer_list>

namespace pictor_cli {

namespace {

volatile std::sig_atomic_t g_requested = 0;
std::atomic<pictor_client *> g_client{nullptr};
static_assert(std::atomic<pictor_client *>::is_always_lock_free,
              "the signal handler may only touch lock-free atomics");

extern "C" void on_interrupt(int signal_number) {
    if (g_requested) {
        // Second Ctrl-C: the user does not want to wait for the cancel to land.
        std::signal(signal_number, SIG_DFL);
        std::raise(signal_number);
        return;
    }
    g_requested = 1;
    if (pictor_client *client = g_client.load()) pictor_client_cancel(client);
}

} // namespace

void install_interrupt_handler() {
    struct sigaction action {};
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;  // file reads and writes carry on; the flag is checked after
    // A closed terminal (SIGHUP) or a polite kill (SIGTERM) must not lose what was paid for
    // either: the images already received are written, as after Ctrl-C.
    for (int signal_number : {SIGINT, SIGTERM, SIGHUP}) sigaction(signal_number, &action, nullptr);
}

void watch_for_interrupt(pictor_client *client) { g_client.store(client); }

bool interrupt_requested() { return g_requested != 0; }

} // namespace pictor_cli
