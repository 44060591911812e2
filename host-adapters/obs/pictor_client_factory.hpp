// A pictor client for one request, from the non-secret settings a source keeps (profile, base
// URL). The key is resolved by the library from the shared pictor configuration — the
// environment (PICTOR_API_KEY, OPENAI_API_KEY) or ~/.config/pictor/config.json — so it never
// passes through OBS's settings, scene collection or log.
#pragma once

#include "request_spec.hpp"

#include <string>

struct pictor_client;

namespace pictor_obs {

// nullptr on failure (unknown profile, bad URL), with the library's message in error.
pictor_client *create_pictor_client(const RequestSpec &spec, std::string &error);

} // namespace pictor_obs
