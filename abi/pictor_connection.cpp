// pictor_client_check_connection: "Test the connection" without paying. No request to the
// image endpoints is free, so the check asks the route's model list (GET {base}/models, which
// OpenAI and the compatible gateways serve and never bill) with the client's key, timeouts and
// certificate authorities, and reads only the status: reachable, key accepted or refused.
#include <pictor/pictor.h>

#include <string>

#include <nlohmann/json.hpp>

#include "history_shim_bridge.hpp"
#include "net/http_transport.hpp"
#include "shim_support.hpp"

namespace {

// Enough for a model list from a slow gateway; the check must not hang a settings window.
constexpr long list_timeout_ms = 30000;
constexpr uint64_t list_max_bytes = 4u << 20;

// The result name for an HTTP answer (see pictor.h).
const char *result_of(long status) {
    if (status >= 200 && status < 300)
        return "ok";
    if (status == 401 || status == 403)
        return "key_refused";
    if (status == 404 || status == 405)
        return "no_model_list";
    return "unexpected";
}

nlohmann::json listed_models(const std::string &body) {
    nlohmann::json ids = nlohmann::json::array();
    const nlohmann::json list = nlohmann::json::parse(body, nullptr, false);
    const auto data = list.is_object() ? list.find("data") : list.end();
    if (data != list.end() && data->is_array())
        for (const auto &model : *data)
            if (model.is_object() && model.contains("id") && model["id"].is_string())
                ids.push_back(model["id"]);
    return ids;
}

} // namespace

pictor_status pictor_client_check_connection(pictor_client *client, char **json_out) {
    if (json_out)
        *json_out = nullptr;
    if (!client)
        return PICTOR_ERR_INVALID_ARGUMENT;
    return pictor_shim::barrier(client->error, [&] {
        if (!json_out)
            pictor_shim::invalid("json_out is NULL");
        const pictor::ImageClient &impl = *client->impl;
        const pictor::ClientOptions options = impl.resolved_options();
        nlohmann::json report = {{"url", impl.redact(impl.base_url() + "/models")}, {"status", 0},
                                 {"error", ""}, {"models", nlohmann::json::array()}};
        if (!impl.has_api_key()) {
            report["result"] = "no_key";
            *json_out = pictor_shim::malloc_copy(report.dump());
            return;
        }
        pictor::net::HttpRequest get;
        get.method = "GET";
        get.url = impl.base_url() + "/models";
        get.bearer_token = options.settings.api_key;
        get.connect_timeout_ms = long(options.connect_timeout_s * 1000);
        get.total_timeout_ms = get.connect_timeout_ms + list_timeout_ms;
        get.max_response_bytes = list_max_bytes;
        get.ca_file = options.settings.ca_file;
        pictor::net::RetryPolicy once;
        once.max_retries = 0;
        pictor::net::HttpTransport transport(once, [&](const std::string &line) {
            impl.log(pictor::LogLevel::trace, line);
        });
        client->runner_cancel.store(false); // pictor_client_cancel sets it: a cancel of this call
        pictor::net::HttpResponse answer =
            transport.perform_all({get}, [](const auto &) { return true; }, &client->runner_cancel).at(0);
        report["status"] = answer.status;
        if (answer.status == 0) {
            report["result"] = "unreachable";
            report["error"] = impl.redact(answer.cancelled ? std::string("cancelled")
                                                           : answer.curl_error.empty() ? "no answer" : answer.curl_error);
        } else {
            report["result"] = result_of(answer.status);
            if (answer.status >= 200 && answer.status < 300)
                report["models"] = listed_models(answer.body);
        }
        *json_out = pictor_shim::malloc_copy(report.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    });
}
