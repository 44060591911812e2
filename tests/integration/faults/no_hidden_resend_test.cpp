// A paid POST is sent exactly as often as pictor's retry policy says: never again by libcurl
// behind its back, whatever the server does with the connection after reading the request.
#include "fault_fixture.hpp"
#include "scripted_server.hpp"

namespace pictor_test {
namespace {

using NoHiddenResend = FaultTest;

TEST_F(NoHiddenResend, RequestReadWholeThenDroppedOnAReusedConnectionIsNotSentAgain) {
    // The first request gets a 429 on a kept-alive connection (pictor may retry that: nothing
    // was generated). The retry is read whole and the connection closed without an answer, as
    // a gateway does that crashed mid-generation: the request may be billed, so it must not go
    // out a third time (libcurl re-sends a request that died on a reused connection).
    std::atomic<int> seen{0};
    ScriptedServer server([&seen](ScriptedConnection &c) {
        while (c.read_request()) {
            if (seen++ == 0) {
                c.send(http_response(429, R"({"error":{"message":"slow down","type":"requests"}})",
                                     "application/json", "Retry-After: 0\r\n"));
                continue;
            }
            return; // read whole, then closed without a byte
        }
    });
    RunOptions options;
    options.base_url = server.base_url();
    Outcome o = run("openai", "", options);
    EXPECT_NE(o.status, PICTOR_OK);
    EXPECT_EQ(server.requests(), 2) << "the first try and pictor's one retry, never a hidden third";
    EXPECT_TRUE(o.may_be_billed) << o.message;
}

} // namespace
} // namespace pictor_test
