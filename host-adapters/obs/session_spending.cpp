#include "session_spending.hpp"

#include "pictor_client_factory.hpp"

#include <pictor/pictor.h>

#include <obs-module.h>

#include <cstdio>
#include <mutex>

namespace pictor_obs {

namespace {

std::mutex spending_mutex;
double spent_usd = 0;
int images_received = 0;

std::string dollars(double usd) {
    char text[32];
    std::snprintf(text, sizeof text, usd >= 0.01 || usd == 0 ? "$%.2f" : "$%.3f", usd);
    return text;
}

// The price of one click with spec (its size already resolved); false when unknown.
bool estimate_click(const RequestSpec &spec, bool edit, double &usd) {
    RouteClient client(spec);
    if (!client.get())
        return false;
    pictor_request request;
    pictor_request_init(&request);
    request.prompt = "price"; // the price does not depend on the prompt
    request.size = spec.size.empty() ? nullptr : spec.size.c_str();
    request.quality = spec.quality.empty() ? nullptr : spec.quality.c_str();
    request.model = spec.model.empty() ? nullptr : spec.model.c_str();
    request.complexity = spec.complexity.empty() ? nullptr : spec.complexity.c_str();
    request.n = 1;
    request.partial_images = spec.previews;
    return pictor_estimate_cost(client.get(), &request, edit ? 1 : 0, &usd) == PICTOR_OK && usd >= 0;
}

} // namespace

void add_session_spending(double usd) {
    std::lock_guard<std::mutex> lock(spending_mutex);
    spent_usd += usd;
    ++images_received;
}

std::string click_price(const RequestSpec &spec, bool edit) {
    double usd = 0;
    return estimate_click(spec, edit, usd) ? std::string(obs_module_text("Cost.About")) + " " + dollars(usd) : "";
}

std::string cost_text(const RequestSpec &spec, bool edit) {
    double usd = 0;
    const std::string click = estimate_click(spec, edit, usd)
                                  ? std::string(obs_module_text("Cost.PerClick")) + " " + dollars(usd)
                                  : obs_module_text("Cost.Unknown");
    std::string details = spec.size.empty() ? std::string(obs_module_text("RouteDefault")) : spec.size;
    if (!spec.model.empty())
        details = spec.model + ", " + details;
    if (!spec.quality.empty())
        details += ", " + spec.quality;
    if (!spec.complexity.empty())
        details += ", " + std::string(obs_module_text("Complexity")) + " " + spec.complexity;
    if (spec.previews > 0)
        details += ", " + std::to_string(spec.previews) + " " + obs_module_text("Cost.Previews");
    std::lock_guard<std::mutex> lock(spending_mutex);
    return click + " (" + details + "). " + obs_module_text("Cost.Session") + " " + dollars(spent_usd) + " (" +
           std::to_string(images_received) + " " + obs_module_text("Cost.Images") + ").";
}

} // namespace pictor_obs
