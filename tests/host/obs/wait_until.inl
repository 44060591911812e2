// Polling with a generous deadline: the machine running the tests may be loaded.
#pragma once

#include <chrono>
#include <thread>

namespace pictor_obs_test {

template <typename Predicate> bool wait_until(Predicate predicate, double timeout_s) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
    while (!predicate()) {
        if (std::chrono::steady_clock::now() >= deadline)
            return predicate();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

} // namespace pictor_obs_test
