// A mock gateway per test suite, a private history folder and key per test, and helpers to
// drive the C ABI the way a host does.
#pragma once

#include <pictor/pictor.h>

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "mock_gateway_process.hpp"

namespace pictor_test {

struct ClientDeleter {
    void operator()(pictor_client *c) const { pictor_client_destroy(c); }
};
struct ResultDeleter {
    void operator()(pictor_result *r) const { pictor_result_free(r); }
};
using ClientPtr = std::unique_ptr<pictor_client, ClientDeleter>;
using ResultPtr = std::unique_ptr<pictor_result, ResultDeleter>;

// Small real images for edit inputs, made with the library's own encoder.
std::string make_png(uint32_t width, uint32_t height, bool with_alpha);
std::string make_jpeg(uint32_t width, uint32_t height);
// Opaque pure grain: about 3 bytes a pixel whatever the encoder.
std::string make_grain_png(uint32_t width, uint32_t height);

// Every file below `dir`, read whole (for "the key is nowhere on disk" checks).
std::vector<std::pair<std::string, std::string>> read_tree(const std::string &dir);

class AbiTest : public ::testing::Test {
protected:
    static void SetUpTestSuite();
    static void TearDownTestSuite();
    void SetUp() override;
    void TearDown() override;

    // A client for `profile` pointed at the mock (with an optional scenario segment).
    ClientPtr client(const std::string &profile, const std::string &scenario = "",
                     uint64_t max_response_bytes = 0);
    // pictor_generate / pictor_edit with a request initialised by the caller.
    pictor_status generate(pictor_client *c, pictor_request &request, ResultPtr &result);
    pictor_status edit(pictor_client *c, pictor_request &request, ResultPtr &result);

    // The JSON a result carries.
    static nlohmann::json metadata(const pictor_result *result);

    static MockGatewayProcess &mock() { return *mock_; }

    std::string key_;
    std::string history_dir_;
    std::string temp_dir_;

private:
    static std::unique_ptr<MockGatewayProcess> mock_;
};

} // namespace pictor_test
