// A hostile HTTP server on 127.0.0.1 for what the mock gateway cannot do: each accepted
// connection runs a test's script on its own thread, byte by byte, so a test can read a whole
// request and then drop the connection, send an image and then reset, or keep a stream open.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace pictor_test {

class ScriptedConnection {
public:
    explicit ScriptedConnection(int fd) : fd_(fd) {}
    // Reads one request (head and Content-Length body); false when the peer closed first.
    bool read_request(std::string *head = nullptr, std::string *body = nullptr);
    void send(const std::string &bytes);
    // Closes with a TCP reset instead of a FIN.
    void reset();
    // Waits until the peer closes (or `seconds` pass).
    void wait_for_close(double seconds);

private:
    int fd_;
    std::string pending_;
};

class ScriptedServer {
public:
    using Script = std::function<void(ScriptedConnection &)>;
    explicit ScriptedServer(Script script);
    ~ScriptedServer();

    // http://127.0.0.1:PORT/v1
    std::string base_url() const;
    // Requests read whole by read_request, over all connections.
    int requests() const { return requests_.load(); }
    int connections() const { return connections_.load(); }

private:
    void accept_loop();

    Script script_;
    int listener_ = -1;
    int port_ = 0;
    std::atomic<bool> stopping_{false};
    std::atomic<int> requests_{0}, connections_{0};
    std::thread acceptor_;
    std::mutex lock_;
    std::vector<std::thread> workers_;
    std::vector<int> open_fds_;
    friend class ScriptedConnection;
    static thread_local ScriptedServer *current_;
};

// An HTTP/1.1 response with Content-Length and the given extra header lines ("Name: value\r\n").
std::string http_response(int status, const std::string &body,
                          const std::string &content_type = "application/json",
                          const std::string &extra_headers = "");
// {"created":1,"data":[{"b64_json":"<png>"}]} for a small real PNG, plus `extra` members
// (",\"x\":1" form) inside the top-level object.
std::string image_answer(const std::string &png, const std::string &extra = "");
std::string base64(const std::string &bytes);

} // namespace pictor_test
