// The mock gateway (tests/mock_gateway/mock_gateway.py) as a child process of a test: started
// on a free port, asked for its request log, stopped when the object goes.
#pragma once

#include <string>
#include <sys/types.h>
#include <vector>

#include <nlohmann/json.hpp>

namespace pictor_test {

class MockGatewayProcess {
public:
    // Starts the mock and waits (up to 15 s) for the port it picked. Throws std::runtime_error,
    // with what the mock printed, when it does not come up.
    // extra_args go to mock_gateway.py as they are (e.g. --tls-cert FILE --tls-key FILE).
    explicit MockGatewayProcess(const std::vector<std::string> &extra_args = {});
    ~MockGatewayProcess();  // SIGTERM, then SIGKILL after 3 s
    MockGatewayProcess(const MockGatewayProcess &) = delete;
    MockGatewayProcess &operator=(const MockGatewayProcess &) = delete;

    int port() const { return port_; }
    // http://127.0.0.1:PORT/<profile>/v1, or .../<profile>/<scenario>/v1 with a scenario such
    // as "status=429,times=1".
    std::string base_url(const std::string &profile, const std::string &scenario = "") const;

    // The body of GET http://127.0.0.1:PORT<path>; throws on a transport error or non-2xx.
    std::string get(const std::string &path) const;
    // POST /_mock/reset: empties the log and the `times` counters.
    void reset() const;
    // GET /_mock/requests, parsed: every request in arrival order, as the mock logged it.
    nlohmann::json requests() const;
    // Only the requests that reached the image API (generations, edits), not /_mock/files.
    nlohmann::json api_requests() const;
    // What the mock printed on stdout/stderr so far, for failure messages.
    std::string output() const;

private:
    void stop();
    std::string request(const std::string &method, const std::string &path) const;

    pid_t pid_ = -1;
    int port_ = 0;
    std::string dir_;  // holds the port file and the mock's output
};

// How often `needle` occurs in `text`: for what must be said exactly once.
inline size_t occurrences(const std::string &text, const std::string &needle) {
    size_t n = 0;
    for (size_t at = text.find(needle); !needle.empty() && at != std::string::npos; at = text.find(needle, at + needle.size()))
        ++n;
    return n;
}

} // namespace pictor_test
