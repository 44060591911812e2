// Where the key may go: over verified TLS only (no fallback to an unverified or plain
// connection), to a private CA only when the user names it, and never to another host.
#include "fault_fixture.hpp"

#include <cstdlib>
#include <filesystem>

namespace pictor_test {
namespace {

// A self-signed certificate for 127.0.0.1 / localhost, made with the openssl CLI per suite.
class TlsGateway : public FaultTest {
protected:
    static void SetUpTestSuite() {
        FaultTest::SetUpTestSuite();
        char pattern[] = "/tmp/pictor-tls-XXXXXX";
        ASSERT_NE(mkdtemp(pattern), nullptr);
        cert_dir_ = pattern;
        std::string command = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
                              " -keyout " + cert_dir_ + "/key.pem -out " + cert_dir_ + "/cert.pem -days 2"
                              " -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1,DNS:localhost"
                              " >" + cert_dir_ + "/openssl.log 2>&1";
        ASSERT_EQ(std::system(command.c_str()), 0) << read_file(cert_dir_ + "/openssl.log");
        tls_mock_ = std::make_unique<MockGatewayProcess>(std::vector<std::string>{
            "--tls-cert", cert_dir_ + "/cert.pem", "--tls-key", cert_dir_ + "/key.pem"});
    }
    static void TearDownTestSuite() {
        tls_mock_.reset();
        std::filesystem::remove_all(cert_dir_);
        FaultTest::TearDownTestSuite();
    }

    static std::string https_url(const std::string &scenario = "") {
        return "https://127.0.0.1:" + std::to_string(tls_mock_->port()) + "/openai" +
               (scenario.empty() ? "" : "/" + scenario) + "/v1";
    }
    static std::string cert() { return cert_dir_ + "/cert.pem"; }

    static std::unique_ptr<MockGatewayProcess> tls_mock_;
    static std::string cert_dir_;
};

std::unique_ptr<MockGatewayProcess> TlsGateway::tls_mock_;
std::string TlsGateway::cert_dir_;

TEST_F(TlsGateway, SelfSignedCertificateIsRefusedAsTlsWithoutFallbackAndTheKeyIsNeverSent) {
    tls_mock_->reset();
    RunOptions options;
    options.base_url = https_url();
    Outcome o = run("openai", "", options);
    EXPECT_EQ(o.status, PICTOR_ERR_TLS) << o.message;
    EXPECT_STREQ(o.kind.c_str(), "tls");
    EXPECT_FALSE(o.request_sent);
    EXPECT_FALSE(o.may_be_billed);
    EXPECT_NE(o.message.find("The key was not sent"), std::string::npos) << o.message;
    nlohmann::json log = tls_mock_->requests();
    ASSERT_EQ(log.size(), 1u) << "one handshake, no retry, no second (plain or unverified) try: " << log.dump();
    EXPECT_EQ(log[0]["endpoint"], "tls");
    EXPECT_NE(log[0]["outcome"].get<std::string>().find("handshake failed"), std::string::npos);
    EXPECT_TRUE(tls_mock_->api_requests().empty()) << "no HTTP request, so no Authorization header";
    EXPECT_TRUE(history_files().empty());
}

TEST_F(TlsGateway, CaFileForAPrivateGatewayWorksThroughTheAbiAndTheEnvironment) {
    tls_mock_->reset();
    RunOptions options;
    options.base_url = https_url();
    options.ca_file = cert();
    Outcome o = run("openai", "", options);
    ASSERT_EQ(o.status, PICTOR_OK) << o.message;
    EXPECT_EQ(o.images, 1u);
    ASSERT_EQ(tls_mock_->api_requests().size(), 1u);
    EXPECT_EQ(tls_mock_->api_requests()[0]["authorization"], "Bearer " + key_);

    // The command line: PICTOR_CA_FILE.
    tls_mock_->reset();
    ProcessResult cli = pictor_cli({"generate", "over tls", "-o", dir_ + "/tls.png", "--profile", "openai",
                                    "--base-url", https_url()},
                                   true, {"PICTOR_CA_FILE=" + cert()});
    EXPECT_EQ(cli.exit_code, 0) << cli.err;
    EXPECT_TRUE(std::filesystem::exists(dir_ + "/tls.png"));
    ProcessResult refused = pictor_cli({"generate", "over tls", "-o", dir_ + "/refused.png", "--profile",
                                        "openai", "--base-url", https_url()});
    EXPECT_EQ(refused.exit_code, 1);
    EXPECT_NE(refused.err.find("secure connection"), std::string::npos) << refused.err;
}

using Redirects = FaultTest;

TEST_F(Redirects, AnApiRedirectToAnotherHostIsNotFollowedSoTheKeyStaysHome) {
    for (const char *scenario : {"redirect=307", "redirect=308", "redirect=302"}) {
        Outcome o = run("openai", scenario);
        EXPECT_EQ(o.status, PICTOR_ERR_BAD_RESPONSE) << scenario << ": " << o.message;
        EXPECT_NE(o.message.find("localhost"), std::string::npos) << "names where it pointed: " << o.message;
        EXPECT_NE(o.message.find("base URL"), std::string::npos) << o.message;
        ASSERT_EQ(o.api_requests.size(), 1u) << scenario << ": nothing arrived at the other host";
        EXPECT_NE(o.api_requests[0]["path"].get<std::string>().find(scenario), std::string::npos);
        EXPECT_FALSE(o.may_be_billed);
    }
}

TEST_F(Redirects, AnImageUrlRedirectToAnotherHostIsFollowedWithoutTheKey) {
    Outcome o = run("openai", "response=url,url_status=302");
    ASSERT_EQ(o.status, PICTOR_OK) << o.message;
    EXPECT_EQ(o.images, 1u);
    int fetches = 0;
    bool reached_other_host = false;
    for (const auto &entry : mock().requests()) {
        if (entry.value("endpoint", "") != "file") continue;
        ++fetches;
        EXPECT_TRUE(entry["authorization"].is_null()) << entry.dump();
        reached_other_host |= entry["headers"].value("host", "").rfind("localhost", 0) == 0;
    }
    EXPECT_EQ(fetches, 2) << "the URL, then where it redirected";
    EXPECT_TRUE(reached_other_host);
    EXPECT_EQ(o.api_requests[0]["authorization"], "Bearer " + key_) << "the gateway itself got the key";
}

} // namespace
} // namespace pictor_test
