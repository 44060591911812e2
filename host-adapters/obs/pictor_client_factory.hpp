// A pictor client for one request, from the non-secret settings a source keeps (profile, base
// URL). The key is resolved by the library from the shared pictor configuration — the
// environment (PICTOR_API_KEY, OPENAI_API_KEY) or ~/.config/pictor/config.json — so it never
// passes through OBS's settings, scene collection or log.
#pragma once

#include "request_spec.hpp"

#include <chrono>
#include <string>

struct pictor_client;

namespace pictor_obs {

// nullptr on failure (unknown profile, bad URL), with the library's message in error.
pictor_client *create_pictor_client(const RequestSpec &spec, std::string &error);

// A client that only reads spec's route (its profile, canvas size, prices) and never sends.
// One is kept for the last route (profile, base URL, model) for a few seconds: a properties
// rebuild, which happens about once a second during a request and runs every list's modified
// callback, asks for the profile, the canvas size and the price of each quality. Each holder
// has it to itself (another thread meanwhile makes its own); it goes back when the holder ends.
class RouteClient {
public:
    explicit RouteClient(const RequestSpec &spec);
    ~RouteClient();
    RouteClient(const RouteClient &) = delete;
    RouteClient &operator=(const RouteClient &) = delete;
    pictor_client *get() const { return client_; } // nullptr when the route cannot be made

private:
    pictor_client *client_ = nullptr;
    std::string route_;
    std::chrono::steady_clock::time_point made_;
};

// The kept client is dropped: the key or the default profile changed (Pictor Settings), or
// the module unloads.
void forget_route_client();

} // namespace pictor_obs
