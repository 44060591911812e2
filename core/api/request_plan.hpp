// Turns what a host asks for into the exact HTTP calls one route accepts: every field checked
// against the profile before anything is sent, fields the route rejects (or bills wrongly)
// left out, variations beyond the route's n fanned out into parallel single-image calls.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/gateway_profile.hpp"
#include "api/image_request.hpp"
#include "api/size_rules.hpp"
#include "net/http_exchange.hpp"

namespace pictor {

struct PlannedCall {
    net::HttpRequest http; // without the key: the client adds it last
    int images = 1;        // images this call asks for
};

struct RequestPlan {
    std::vector<PlannedCall> calls;
    std::string endpoint;       // "generations" | "edits"
    ImageSize expected_size;    // {0,0} when the server picks
    std::string quality;        // ours, "" when unset
    int images_total = 1;
    double timeout_s = 600;
    nlohmann::json parameters;  // the fields sent (prompt excluded), for history and --json
    ModelSpec model;            // the entry of the model sent: its prices, limits
    std::optional<double> cost_usd; // the estimate before sending; nullopt: unknown
};

// Throws Error(invalid_request) with request_sent false, saying what to change. `profile` is
// the route with the model to send as its ModelSpec (GatewayProfile::for_model). The calls'
// file parts point at `request`'s image bytes (no copy): the plan must not outlive it.
RequestPlan plan_request(const GatewayProfile &profile, const std::string &base_url, const ImageRequest &request,
                         bool edit);

// Seconds a request may take before we stop waiting: low 120, medium 240, high / auto 600.
double timeout_for_quality(const std::string &quality);

} // namespace pictor
