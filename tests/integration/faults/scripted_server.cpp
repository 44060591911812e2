#include "scripted_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/evp.h>

#include <chrono>
#include <cstring>
#include <stdexcept>

namespace pictor_test {

thread_local ScriptedServer *ScriptedServer::current_ = nullptr;

bool ScriptedConnection::read_request(std::string *head_out, std::string *body_out) {
    auto fill = [&](size_t want_total) {
        char buffer[65536];
        while (pending_.size() < want_total) {
            ssize_t got = recv(fd_, buffer, sizeof buffer, 0);
            if (got <= 0) return false;
            pending_.append(buffer, size_t(got));
        }
        return true;
    };
    size_t end;
    while ((end = pending_.find("\r\n\r\n")) == std::string::npos)
        if (!fill(pending_.size() + 1)) return false;
    std::string head = pending_.substr(0, end + 4);
    size_t length = 0;
    for (size_t at = 0; (at = head.find("\r\n", at)) != std::string::npos;) {
        at += 2;
        if (strncasecmp(head.c_str() + at, "content-length:", 15) == 0)
            length = std::stoul(head.substr(at + 15));
    }
    if (!fill(end + 4 + length)) return false;
    if (body_out) *body_out = pending_.substr(end + 4, length);
    if (head_out) *head_out = head;
    pending_.erase(0, end + 4 + length);
    if (ScriptedServer::current_) ++ScriptedServer::current_->requests_;
    return true;
}

void ScriptedConnection::send(const std::string &bytes) {
    size_t sent = 0;
    while (sent < bytes.size()) {
        ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) return;
        sent += size_t(n);
    }
}

void ScriptedConnection::reset() {
    linger option{1, 0};
    setsockopt(fd_, SOL_SOCKET, SO_LINGER, &option, sizeof option);
    shutdown(fd_, SHUT_RDWR);
}

void ScriptedConnection::wait_for_close(double seconds) {
    auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    char buffer[4096];
    while (std::chrono::steady_clock::now() < until) {
        pollfd p{fd_, POLLIN, 0};
        if (poll(&p, 1, 100) > 0 && recv(fd_, buffer, sizeof buffer, 0) <= 0) return;
    }
}

ScriptedServer::ScriptedServer(Script script) : script_(std::move(script)) {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listener_, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 || listen(listener_, 16) != 0)
        throw std::runtime_error("scripted server: cannot listen");
    socklen_t size = sizeof address;
    getsockname(listener_, reinterpret_cast<sockaddr *>(&address), &size);
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
}

ScriptedServer::~ScriptedServer() {
    stopping_ = true;
    shutdown(listener_, SHUT_RDWR);
    acceptor_.join();
    close(listener_);
    {
        std::lock_guard<std::mutex> guard(lock_);
        for (int fd : open_fds_) shutdown(fd, SHUT_RDWR); // unblocks scripts waiting to read
    }
    for (auto &worker : workers_) worker.join();
}

void ScriptedServer::accept_loop() {
    while (!stopping_) {
        pollfd p{listener_, POLLIN, 0};
        if (poll(&p, 1, 100) <= 0) continue;
        int fd = accept(listener_, nullptr, nullptr);
        if (fd < 0) continue;
        ++connections_;
        std::lock_guard<std::mutex> guard(lock_);
        open_fds_.push_back(fd);
        workers_.emplace_back([this, fd] {
            current_ = this;
            ScriptedConnection connection(fd);
            try {
                script_(connection);
            } catch (const std::exception &) {
            }
            {
                std::lock_guard<std::mutex> guard2(lock_);
                for (auto &open : open_fds_)
                    if (open == fd) open = -1;
            }
            close(fd);
        });
    }
}

std::string ScriptedServer::base_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }

std::string http_response(int status, const std::string &body, const std::string &content_type,
                          const std::string &extra_headers) {
    return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: " + content_type +
           "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" + extra_headers + "\r\n" + body;
}

std::string base64(const std::string &bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char *>(out.data()),
                            reinterpret_cast<const unsigned char *>(bytes.data()), int(bytes.size()));
    out.resize(size_t(n));
    return out;
}

std::string image_answer(const std::string &png, const std::string &extra) {
    return "{\"created\":1,\"data\":[{\"b64_json\":\"" + base64(png) + "\"}]" + extra + "}";
}

} // namespace pictor_test
