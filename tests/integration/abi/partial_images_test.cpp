// pictor_request.partial_images / partial_image through the C ABI against the mock's SSE:
// previews arrive decoded, on the calling thread, before the final image; older hosts (a
// smaller struct_size) get no previews and no stream.
#include <gtest/gtest.h>

#include <cstddef>
#include <thread>
#include <vector>

#include "abi_fixture.hpp"

namespace pictor_test {
namespace {

class PartialImages : public AbiTest {};

struct Seen {
    std::thread::id thread;
    std::vector<int> indexes;
    std::vector<int> totals;
    std::vector<uint32_t> widths;
    std::vector<std::string> formats;
};

void on_partial(const pictor_image *partial, int index, int total, void *user_data) {
    auto *seen = static_cast<Seen *>(user_data);
    seen->thread = std::this_thread::get_id();
    seen->indexes.push_back(index);
    seen->totals.push_back(total);
    seen->widths.push_back(pictor_image_width(partial));
    seen->formats.push_back(pictor_image_format(partial));
    EXPECT_NE(pictor_image_rgba(partial), nullptr);
}

TEST_F(PartialImages, PreviewsArriveDecodedOnTheCallingThread) {
    ClientPtr c = client("openai");
    pictor_request request;
    ASSERT_EQ(pictor_request_init(&request), PICTOR_OK);
    request.prompt = "a lighthouse";
    request.size = "1536x1024";
    request.output_format = "webp";
    request.partial_images = 3;
    Seen seen;
    request.partial_image = on_partial;
    request.partial_image_user_data = &seen;
    ResultPtr result;
    ASSERT_EQ(generate(c.get(), request, result), PICTOR_OK) << pictor_client_last_error(c.get())->message;
    EXPECT_EQ(seen.indexes, (std::vector<int>{0, 1, 2}));
    EXPECT_EQ(seen.totals, (std::vector<int>{3, 3, 3}));
    EXPECT_EQ(seen.widths, (std::vector<uint32_t>{1536, 1536, 1536}));
    EXPECT_EQ(seen.formats, (std::vector<std::string>{"webp", "webp", "webp"}));
    EXPECT_EQ(seen.thread, std::this_thread::get_id());
    ASSERT_EQ(pictor_result_image_count(result.get()), 1u);
    EXPECT_EQ(pictor_image_width(pictor_result_image(result.get(), 0)), 1536u);

    nlohmann::json log = mock().api_requests();
    ASSERT_FALSE(log.empty());
    EXPECT_EQ(log.back()["json"]["stream"], true);
    EXPECT_EQ(log.back()["json"]["partial_images"], 3);
    EXPECT_TRUE(metadata(result.get())["usage"]["output_tokens"].is_number()); // from the completed event
}

TEST_F(PartialImages, AnOlderStructAsksForNoStream) {
    ClientPtr c = client("openai");
    pictor_request request;
    // A host built before the fields were appended: its struct ends at progress_user_data.
    const size_t old_size = offsetof(pictor_request, progress_user_data) + sizeof(void *);
    ASSERT_EQ(pictor_request_init_abi(&request, old_size, PICTOR_ABI_VERSION), PICTOR_OK);
    request.prompt = "a lighthouse";
    request.partial_images = 2; // beyond the old struct: must be ignored
    ResultPtr result;
    ASSERT_EQ(generate(c.get(), request, result), PICTOR_OK) << pictor_client_last_error(c.get())->message;
    nlohmann::json log = mock().api_requests();
    ASSERT_FALSE(log.empty());
    EXPECT_FALSE(log.back()["json"].contains("stream"));
}

TEST_F(PartialImages, RoutesThatDoNotStreamSendTheImageWithoutPreviews) {
    ClientPtr c = client("apiyi-vip");
    pictor_request request;
    ASSERT_EQ(pictor_request_init(&request), PICTOR_OK);
    request.prompt = "a lighthouse";
    request.partial_images = 2;
    Seen seen;
    request.partial_image = on_partial;
    request.partial_image_user_data = &seen;
    ResultPtr result;
    ASSERT_EQ(generate(c.get(), request, result), PICTOR_OK) << pictor_client_last_error(c.get())->message;
    EXPECT_TRUE(seen.indexes.empty());
    nlohmann::json log = mock().api_requests();
    ASSERT_FALSE(log.empty());
    EXPECT_FALSE(log.back()["json"].contains("stream")); // never sent where the route rejects it
}

} // namespace
} // namespace pictor_test
