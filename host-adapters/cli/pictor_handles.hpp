// Owning pointers for the library's handles, so every exit path frees them.
#pragma once

#include <memory>

#include <pictor/pictor.h>

namespace pictor_cli {

struct ClientDeleter {
    void operator()(pictor_client *client) const { pictor_client_destroy(client); }
};
struct ResultDeleter {
    void operator()(pictor_result *result) const { pictor_result_free(result); }
};

using ClientPtr = std::unique_ptr<pictor_client, ClientDeleter>;
using ResultPtr = std::unique_ptr<pictor_result, ResultDeleter>;

} // namespace pictor_cli
