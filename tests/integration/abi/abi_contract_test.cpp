// The rules of the C ABI itself: versions, status strings, NULL handling, struct sizes,
// the per-client and per-thread errors, environment resolution, decode and encode.
#include "abi_fixture.hpp"

#include <cstring>
#include <thread>

namespace pictor_test {
namespace {

class AbiContract : public AbiTest {};

TEST_F(AbiContract, VersionsAgreeWithTheHeader) {
    EXPECT_EQ(pictor_version_number(), PICTOR_VERSION_NUMBER);
    EXPECT_EQ(pictor_abi_version(), PICTOR_ABI_VERSION);
    std::string expected = std::to_string(PICTOR_VERSION_MAJOR) + "." + std::to_string(PICTOR_VERSION_MINOR) + "." +
                           std::to_string(PICTOR_VERSION_PATCH);
    EXPECT_EQ(pictor_version_string(), expected);
}

// One compatibility rule for every host: the same ABI major and the same release line.
TEST_F(AbiContract, LibraryAcceptsOnlyItsOwnAbiMajorAndReleaseLine) {
    EXPECT_EQ(pictor_library_is_compatible(), 1);
    EXPECT_EQ(pictor_library_accepts(PICTOR_VERSION_NUMBER, PICTOR_ABI_VERSION + 1), 1) << "an ABI addition is fine";
    EXPECT_EQ(pictor_library_accepts(PICTOR_VERSION_NUMBER + 1, PICTOR_ABI_VERSION), 1) << "a patch release is fine";
    EXPECT_EQ(pictor_library_accepts(PICTOR_VERSION_NUMBER, PICTOR_ABI_VERSION + 0x100), 0);
    EXPECT_EQ(pictor_library_accepts(PICTOR_VERSION_NUMBER, PICTOR_ABI_VERSION - 0x100), 0);
    // Before 1.0 every minor may break: a host of another minor is refused.
    if (PICTOR_VERSION_MAJOR == 0) {
        EXPECT_EQ(pictor_library_accepts(PICTOR_VERSION_NUMBER + 100, PICTOR_ABI_VERSION), 0);
    }
    EXPECT_EQ(pictor_library_accepts(PICTOR_VERSION_NUMBER + 10000, PICTOR_ABI_VERSION), 0);
}

TEST_F(AbiContract, HostInitClearsTheTableWithinTheCallersSize) {
    struct {
        pictor_host host;
        char guard[32];
    } buffer;
    std::memset(&buffer, 0x5A, sizeof buffer);
    ASSERT_EQ(pictor_host_init(&buffer.host), PICTOR_OK);
    for (char byte : buffer.guard)
        ASSERT_EQ(byte, 0x5A) << "init wrote past the caller's struct";
    EXPECT_EQ(buffer.host.struct_size, sizeof(pictor_host));
    EXPECT_EQ(buffer.host.user_data, nullptr);
    EXPECT_EQ(buffer.host.canvas_size, nullptr);
    EXPECT_EQ(buffer.host.read_selection, nullptr);
    EXPECT_EQ(buffer.host.message, nullptr);
    EXPECT_EQ(pictor_host_init(nullptr), PICTOR_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(pictor_host_init_abi(&buffer.host, 8, PICTOR_ABI_VERSION), PICTOR_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(pictor_host_init_abi(&buffer.host, sizeof(pictor_host), PICTOR_ABI_VERSION + 0x100),
              PICTOR_ERR_INVALID_ARGUMENT);
}

TEST_F(AbiContract, CoverageBoundsSkipsZeroesAndReadsOnlyTheWidthOfEachRow) {
    // 5 x 3 coverage in rows of 8 bytes; the padding is non-zero and must not count.
    const uint8_t coverage[3 * 8] = {0, 0, 0, 0, 0, 9, 9, 9,  //
                                     0, 0, 1, 0, 0, 9, 9, 9,  //
                                     0, 0, 0, 200, 0, 9, 9, 9};
    pictor_selection_desc desc{};
    desc.struct_size = sizeof desc;
    ASSERT_EQ(pictor_coverage_bounds(coverage, 5, 3, 8, &desc), PICTOR_OK);
    EXPECT_EQ(desc.is_empty, 0);
    EXPECT_EQ(desc.x, 2);
    EXPECT_EQ(desc.y, 1);
    EXPECT_EQ(desc.width, 2u);
    EXPECT_EQ(desc.height, 2u);
    const uint8_t none[4] = {0, 0, 0, 0};
    ASSERT_EQ(pictor_coverage_bounds(none, 2, 2, 2, &desc), PICTOR_OK);
    EXPECT_EQ(desc.is_empty, 1);
    EXPECT_EQ(pictor_coverage_bounds(none, 2, 2, 1, &desc), PICTOR_ERR_INVALID_ARGUMENT) << "stride < width";
}

// The numbers pictor.h and the README document, as a host reads them.
TEST_F(AbiContract, LimitsAreTheDocumentedOnes) {
    pictor_limits limits;
    std::memset(&limits, 0x5A, sizeof limits);
    ASSERT_EQ(pictor_get_limits(&limits), PICTOR_OK);
    EXPECT_EQ(limits.struct_size, sizeof limits);
    EXPECT_EQ(limits.max_response_bytes, 512ull * 1024 * 1024);
    EXPECT_EQ(limits.max_pixels, 64000000ull);
    EXPECT_EQ(limits.max_retries, 2);
    EXPECT_EQ(limits.connect_timeout_s, 10.0);
    EXPECT_EQ(limits.max_prompt_chars, 32000u);
    EXPECT_EQ(limits.max_edit_images, 16u);
    EXPECT_EQ(limits.max_reference_layers, 15u);
    EXPECT_EQ(limits.default_grow_px, 4);
    EXPECT_EQ(limits.default_feather_px, 8);
    EXPECT_EQ(limits.default_context_px, 64);
    EXPECT_EQ(limits.max_grow_px, 1024);
    EXPECT_EQ(limits.max_feather_px, 1024);
    EXPECT_EQ(limits.max_context_px, 4096);
    EXPECT_EQ(limits.max_partial_images, 3); // the Images API's partial_images: 0-3
    EXPECT_EQ(pictor_get_limits(nullptr), PICTOR_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(pictor_get_limits_abi(&limits, 8, PICTOR_ABI_VERSION), PICTOR_ERR_INVALID_ARGUMENT);
}

// The published prompt limit is the one requests are checked against.
TEST_F(AbiContract, PublishedPromptLimitIsTheEnforcedOne) {
    pictor_limits limits;
    ASSERT_EQ(pictor_get_limits(&limits), PICTOR_OK);
    auto c = client("openai");
    std::string prompt(limits.max_prompt_chars, 'a');
    pictor_request request;
    pictor_request_init(&request);
    request.prompt = prompt.c_str();
    EXPECT_EQ(pictor_check_request(c.get(), &request, 0), PICTOR_OK);
    prompt += 'a';
    request.prompt = prompt.c_str();
    EXPECT_EQ(pictor_check_request(c.get(), &request, 0), PICTOR_ERR_INVALID_REQUEST);
}

TEST_F(AbiContract, StatusStringsAreStable) {
    EXPECT_STREQ(pictor_status_string(PICTOR_OK), "ok");
    EXPECT_STREQ(pictor_status_string(PICTOR_ERR_INVALID_REQUEST), "invalid_request");
    EXPECT_STREQ(pictor_status_string(PICTOR_ERR_MODERATION_BLOCKED), "moderation_blocked");
    EXPECT_STREQ(pictor_status_string(PICTOR_ERR_RATE_LIMITED), "rate_limited");
    EXPECT_STREQ(pictor_status_string(PICTOR_ERR_TLS), "tls");
    EXPECT_STREQ(pictor_status_string(PICTOR_ERR_IO), "io");
    EXPECT_STREQ(pictor_status_string(pictor_status(9999)), "unknown");
    // Append-only: these numbers are part of the ABI.
    EXPECT_EQ(PICTOR_ERR_CANCELLED, 12);
    EXPECT_EQ(PICTOR_ERR_NO_MEMORY, 16);
}

TEST_F(AbiContract, NullArgumentsAreRefusedNotCrashed) {
    pictor_result *result = reinterpret_cast<pictor_result *>(0x1);
    EXPECT_EQ(pictor_generate(nullptr, nullptr, &result), PICTOR_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(result, nullptr) << "out-parameters are NULL on failure";
    EXPECT_EQ(pictor_client_create(nullptr, nullptr), PICTOR_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(pictor_thread_last_error()->status, PICTOR_ERR_INVALID_ARGUMENT);
    EXPECT_NE(pictor_client_last_error(nullptr), nullptr);
    EXPECT_EQ(pictor_client_last_error(nullptr)->status, PICTOR_ERR_INVALID_ARGUMENT);
    auto c = client("openai");
    EXPECT_EQ(pictor_generate(c.get(), nullptr, &result), PICTOR_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(pictor_client_last_error(c.get())->status, PICTOR_ERR_INVALID_ARGUMENT);
    // Every destroy / free accepts NULL.
    pictor_client_destroy(nullptr);
    pictor_result_free(nullptr);
    pictor_image_free(nullptr);
    pictor_free(nullptr);
    EXPECT_EQ(pictor_image_width(nullptr), 0u);
    EXPECT_STREQ(pictor_result_json(nullptr), "{}");
}

TEST_F(AbiContract, StructsFromAnOlderSmallerHeaderStillWork) {
    // A host built when pictor_request ended at progress_user_data: the library must read no
    // further than struct_size.
    struct {
        pictor_request request;
        char guard[64];
    } buffer;
    std::memset(&buffer, 0x5A, sizeof buffer);
    ASSERT_EQ(pictor_request_init_abi(&buffer.request, sizeof(pictor_request), PICTOR_ABI_VERSION), PICTOR_OK);
    for (char byte : buffer.guard)
        ASSERT_EQ(byte, 0x5A) << "init wrote past the caller's struct";
    EXPECT_EQ(buffer.request.struct_size, sizeof(pictor_request));
    EXPECT_EQ(buffer.request.output_compression, -1);

    pictor_request too_small;
    EXPECT_EQ(pictor_request_init_abi(&too_small, 8, PICTOR_ABI_VERSION), PICTOR_ERR_INVALID_ARGUMENT);
    pictor_client_config config;
    EXPECT_EQ(pictor_client_config_init_abi(&config, sizeof config, PICTOR_ABI_VERSION + 0x100),
              PICTOR_ERR_INVALID_ARGUMENT)
        << "another major ABI is refused";
    EXPECT_NE(std::string(pictor_thread_last_error()->message).find("rebuild"), std::string::npos);
}

TEST_F(AbiContract, UnknownProfileFailsCreateWithTheKnownNames) {
    pictor_client_config config;
    pictor_client_config_init(&config);
    config.profile = "no-such-gateway";
    config.profile_dir = PICTOR_PROFILES_DIR;
    pictor_client *c = reinterpret_cast<pictor_client *>(0x1);
    EXPECT_EQ(pictor_client_create(&config, &c), PICTOR_ERR_INVALID_REQUEST);
    EXPECT_EQ(c, nullptr);
    std::string message = pictor_thread_last_error()->message;
    EXPECT_NE(message.find("no-such-gateway"), std::string::npos);
    EXPECT_NE(message.find("apiyi-vip"), std::string::npos) << message;
}

TEST_F(AbiContract, ThreadErrorsStayOnTheirThread) {
    pictor_client_create(nullptr, nullptr);
    std::thread other([] {
        EXPECT_EQ(pictor_thread_last_error()->status, PICTOR_OK);
        uint8_t junk[4] = {1, 2, 3, 4};
        pictor_image *image = nullptr;
        EXPECT_EQ(pictor_decode_image(junk, sizeof junk, 0, &image), PICTOR_ERR_BAD_IMAGE);
    });
    other.join();
    EXPECT_EQ(pictor_thread_last_error()->status, PICTOR_ERR_INVALID_ARGUMENT);
}

TEST_F(AbiContract, EnvironmentResolvesKeyUrlAndProfileInOrder) {
    std::string url = mock().base_url("apiyi-vip");
    setenv("OPENAI_API_KEY", "sk-openai-env-should-lose", 1);
    setenv("PICTOR_API_KEY", key_.c_str(), 1);
    setenv("OPENAI_BASE_URL", "http://127.0.0.1:1/should-lose", 1);
    setenv("PICTOR_BASE_URL", url.c_str(), 1);
    setenv("PICTOR_PROFILE", "apiyi-vip", 1);
    pictor_client_config config;
    pictor_client_config_init(&config);
    config.profile_dir = PICTOR_PROFILES_DIR;
    config.history_dir = history_dir_.c_str();
    pictor_client *raw = nullptr;
    ASSERT_EQ(pictor_client_create(&config, &raw), PICTOR_OK) << pictor_thread_last_error()->message;
    ClientPtr c(raw);
    nlohmann::json profile = nlohmann::json::parse(pictor_client_profile_json(c.get()));
    EXPECT_EQ(profile["name"], "apiyi-vip");
    EXPECT_EQ(profile["base_url"], url);
    EXPECT_EQ(profile["has_api_key"], true);
    EXPECT_EQ(std::string(pictor_client_profile_json(c.get())).find(key_), std::string::npos);
    pictor_request request;
    pictor_request_init(&request);
    request.prompt = "from the environment";
    ResultPtr result;
    ASSERT_EQ(generate(c.get(), request, result), PICTOR_OK) << pictor_client_last_error(c.get())->message;
    EXPECT_EQ(mock().api_requests()[0]["authorization"], "Bearer " + key_);

    unsetenv("PICTOR_API_KEY");
    unsetenv("PICTOR_BASE_URL");
    ASSERT_EQ(pictor_client_create(&config, &raw), PICTOR_OK);
    ClientPtr fallback(raw);
    profile = nlohmann::json::parse(pictor_client_profile_json(fallback.get()));
    EXPECT_EQ(profile["base_url"], "http://127.0.0.1:1/should-lose") << "OPENAI_BASE_URL is the fallback";
    for (const char *name : {"OPENAI_API_KEY", "OPENAI_BASE_URL", "PICTOR_PROFILE"})
        unsetenv(name);
}

// What the settings dialogs show: where the key in use came from, whether the environment
// overrides a stored one, and the default profile they store.
TEST_F(AbiContract, KeySourceAndStoredDefaultProfile) {
    const char *bus = getenv("DBUS_SESSION_BUS_ADDRESS");
    std::string saved_bus = bus ? bus : "";
    unsetenv("DBUS_SESSION_BUS_ADDRESS"); // no keyring: the key goes to the config file
    std::string config_path = temp_dir_ + "/config/pictor/config.json";
    auto profile_of = [&] {
        pictor_client_config config;
        pictor_client_config_init(&config);
        config.profile_dir = PICTOR_PROFILES_DIR;
        config.history_dir = history_dir_.c_str();
        pictor_client *raw = nullptr;
        EXPECT_EQ(pictor_client_create(&config, &raw), PICTOR_OK) << pictor_thread_last_error()->message;
        ClientPtr c(raw);
        return nlohmann::json::parse(pictor_client_profile_json(c.get()));
    };
    nlohmann::json profile = profile_of();
    EXPECT_EQ(profile["has_api_key"], false);
    EXPECT_EQ(profile["api_key_source"], "");
    EXPECT_EQ(profile["api_key_from_environment"], false);

    // Not the canary key: that one must never reach the disk.
    ASSERT_EQ(pictor_store_api_key("sk-stored-for-this-test", PICTOR_KEY_STORE_CONFIG_FILE, nullptr), PICTOR_OK);
    profile = profile_of();
    EXPECT_EQ(profile["api_key_source"], config_path);
    EXPECT_EQ(profile["api_key_from_environment"], false);
    setenv("PICTOR_API_KEY", key_.c_str(), 1);
    profile = profile_of();
    EXPECT_EQ(profile["api_key_source"], "PICTOR_API_KEY");
    EXPECT_EQ(profile["api_key_from_environment"], true) << "the environment overrides the stored key";
    unsetenv("PICTOR_API_KEY");

    char *where = nullptr;
    ASSERT_EQ(pictor_store_default_profile("apiyi-vip", &where), PICTOR_OK) << pictor_thread_last_error()->message;
    EXPECT_EQ(std::string(where), config_path);
    pictor_free(where);
    EXPECT_EQ(profile_of()["name"], "apiyi-vip");
    EXPECT_EQ(profile_of()["api_key_source"], config_path) << "the stored key survives";
    EXPECT_EQ(pictor_store_default_profile("no-such-route", nullptr), PICTOR_ERR_INVALID_REQUEST);
    EXPECT_NE(std::string(pictor_thread_last_error()->message).find("apiyi-vip"), std::string::npos)
        << pictor_thread_last_error()->message;
    EXPECT_EQ(profile_of()["name"], "apiyi-vip") << "a refused name changes nothing";
    ASSERT_EQ(pictor_store_default_profile("", nullptr), PICTOR_OK);
    EXPECT_EQ(profile_of()["name"], "openai");
    if (!saved_bus.empty())
        setenv("DBUS_SESSION_BUS_ADDRESS", saved_bus.c_str(), 1);
}

TEST_F(AbiContract, ListProfilesFindsTheShippedEight) {
    char *json = nullptr;
    ASSERT_EQ(pictor_list_profiles(PICTOR_PROFILES_DIR, &json), PICTOR_OK);
    nlohmann::json list = nlohmann::json::parse(json);
    pictor_free(json);
    std::vector<std::string> names;
    for (const auto &p : list)
        names.push_back(p["name"]);
    for (const char *expected : {"openai", "apiyi", "apiyi-vip", "apiyi-all", "laozhang", "laozhang-vip",
                                 "laozhang-official", "ruoli"})
        EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected;
}

TEST_F(AbiContract, EstimateCostBeforeSending) {
    auto c = client("openai");
    pictor_request request;
    pictor_request_init(&request);
    request.prompt = "price";
    request.quality = "high";
    request.size = "1024x1024";
    request.n = 2;
    double usd = 0;
    ASSERT_EQ(pictor_estimate_cost(c.get(), &request, 0, &usd), PICTOR_OK);
    EXPECT_NEAR(usd, 2 * 0.211, 1e-9);
    auto vip = client("apiyi-vip");
    request.quality = nullptr;
    request.size = "2048x2048";
    ASSERT_EQ(pictor_estimate_cost(vip.get(), &request, 0, &usd), PICTOR_OK);
    EXPECT_NEAR(usd, 2 * 0.03, 1e-9);
    EXPECT_EQ(mock().api_requests().size(), 0u);
}

TEST_F(AbiContract, DecodeAndEncodeRoundTrip) {
    std::string png = make_png(40, 30, true);
    pictor_image *image = nullptr;
    ASSERT_EQ(pictor_decode_image(reinterpret_cast<const uint8_t *>(png.data()), png.size(), 0, &image), PICTOR_OK);
    EXPECT_EQ(pictor_image_width(image), 40u);
    EXPECT_EQ(pictor_image_height(image), 30u);
    EXPECT_STREQ(pictor_image_format(image), "png");
    EXPECT_EQ(pictor_image_rgba(image)[3], 0) << "alpha survives";
    uint8_t *webp = nullptr;
    size_t size = 0;
    ASSERT_EQ(pictor_image_encode(image, "webp", 100, &webp, &size), PICTOR_OK);
    pictor_image *again = nullptr;
    ASSERT_EQ(pictor_decode_image(webp, size, 0, &again), PICTOR_OK);
    EXPECT_STREQ(pictor_image_format(again), "webp");
    EXPECT_EQ(std::memcmp(pictor_image_rgba(image), pictor_image_rgba(again), 40 * 30 * 4), 0) << "lossless";
    pictor_free(webp);
    pictor_image_free(again);
    EXPECT_EQ(pictor_image_encode(image, "gif", -1, &webp, &size), PICTOR_ERR_INVALID_ARGUMENT);
    pictor_image_free(image);
    EXPECT_EQ(pictor_decode_image(reinterpret_cast<const uint8_t *>(png.data()), png.size(), 100, &image),
              PICTOR_ERR_TOO_LARGE)
        << "the pixel limit is checked before decoding";
}

} // namespace
} // namespace pictor_test
