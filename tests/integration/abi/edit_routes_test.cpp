// Edits: multipart parts as each route expects them, and the validation that keeps a doomed
// (or wrongly billed) request from being sent at all.
#include "abi_fixture.hpp"

#include <functional>

namespace pictor_test {
namespace {

class EditRoutes : public AbiTest {
protected:
    pictor_input_image input(const std::string &bytes, const char *name) {
        return pictor_input_image{reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size(), name};
    }
};

TEST_F(EditRoutes, OneImageGoesAsImageWithItsTrueContentType) {
    std::string jpeg = make_jpeg(256, 256);
    pictor_input_image images[] = {input(jpeg, "photo.jpg")};
    auto c = client("openai");
    pictor_request request;
    pictor_request_init(&request);
    request.prompt = "make it night";
    request.images = images;
    request.image_count = 1;
    request.size = "1024x1024";
    ResultPtr result;
    ASSERT_EQ(edit(c.get(), request, result), PICTOR_OK) << pictor_client_last_error(c.get())->message;
    nlohmann::json seen = mock().api_requests();
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0]["endpoint"], "edits");
    ASSERT_EQ(seen[0]["files"].size(), 1u);
    EXPECT_EQ(seen[0]["files"][0]["name"], "image");
    EXPECT_EQ(seen[0]["files"][0]["content_type"], "image/jpeg");
    EXPECT_EQ(seen[0]["files"][0]["filename"], "photo.jpg");
    EXPECT_EQ(seen[0]["fields"]["model"], "gpt-image-2");
    EXPECT_FALSE(seen[0]["fields"].contains("moderation")) << "the edit form has no moderation field";
    EXPECT_FALSE(seen[0]["fields"].contains("input_fidelity"));
    EXPECT_EQ(pictor_result_image_count(result.get()), 1u);
}

TEST_F(EditRoutes, SeveralImagesGoAsImageArrayWithTheMask) {
    std::string first = make_png(512, 512, false), second = make_jpeg(300, 200), mask = make_png(512, 512, true);
    pictor_input_image images[] = {input(first, "layer.png"), input(second, "ref.jpg")};
    pictor_input_image mask_input = input(mask, "mask.png");
    auto c = client("apiyi");
    pictor_request request;
    pictor_request_init(&request);
    request.prompt = "put the hat from image 2 on image 1";
    request.images = images;
    request.image_count = 2;
    request.mask = &mask_input;
    request.quality = "low";
    ResultPtr result;
    ASSERT_EQ(edit(c.get(), request, result), PICTOR_OK) << pictor_client_last_error(c.get())->message;
    nlohmann::json files = mock().api_requests()[0]["files"];
    ASSERT_EQ(files.size(), 3u);
    EXPECT_EQ(files[0]["name"], "image[]");
    EXPECT_EQ(files[0]["content_type"], "image/png");
    EXPECT_EQ(files[1]["name"], "image[]");
    EXPECT_EQ(files[1]["content_type"], "image/jpeg");
    EXPECT_EQ(files[2]["name"], "mask");
    EXPECT_EQ(files[2]["content_type"], "image/png");
    EXPECT_EQ(files[2]["width"], 512);
}

TEST_F(EditRoutes, VipEditsSendSizeButNeitherQualityNorN) {
    std::string png = make_png(320, 320, false);
    pictor_input_image images[] = {input(png, "a.png")};
    auto c = client("laozhang-vip");
    pictor_request request;
    pictor_request_init(&request);
    request.prompt = "restyle";
    request.images = images;
    request.image_count = 1;
    request.size = "1280x1280";
    ResultPtr result;
    ASSERT_EQ(edit(c.get(), request, result), PICTOR_OK) << pictor_client_last_error(c.get())->message;
    nlohmann::json fields = mock().api_requests()[0]["fields"];
    EXPECT_EQ(fields["size"], "1280x1280");
    EXPECT_FALSE(fields.contains("quality"));
    EXPECT_FALSE(fields.contains("n"));
}

struct Refusal {
    const char *name;
    const char *profile;
    std::function<void(pictor_request &)> setup;
    const char *message_part;
};

TEST_F(EditRoutes, InvalidRequestsAreRefusedBeforeSending) {
    static std::string png = make_png(64, 64, false), other_mask = make_png(32, 32, true),
                       opaque_mask = make_png(64, 64, false), jpeg_mask = make_jpeg(64, 64);
    static pictor_input_image image{reinterpret_cast<const uint8_t *>(png.data()), png.size(), "a.png"};
    static std::vector<pictor_input_image> seventeen(17, image);
    static pictor_input_image small_mask{reinterpret_cast<const uint8_t *>(other_mask.data()), other_mask.size(), nullptr};
    static pictor_input_image no_alpha{reinterpret_cast<const uint8_t *>(opaque_mask.data()), opaque_mask.size(), nullptr};
    static pictor_input_image not_png{reinterpret_cast<const uint8_t *>(jpeg_mask.data()), jpeg_mask.size(), nullptr};
    static const char garbage[] = "not an image at all";
    static pictor_input_image garbage_image{reinterpret_cast<const uint8_t *>(garbage), sizeof garbage, "x.png"};
    const std::vector<Refusal> cases = {
        {"mask of another size", "openai", [](pictor_request &r) { r.mask = &small_mask; }, "same size"},
        {"mask without alpha", "openai", [](pictor_request &r) { r.mask = &no_alpha; }, "alpha"},
        {"mask not a PNG", "openai", [](pictor_request &r) { r.mask = &not_png; }, "PNG"},
        {"17 images", "openai", [](pictor_request &r) { r.images = seventeen.data(); r.image_count = 17; }, "at most 16"},
        {"not an image", "openai", [](pictor_request &r) { r.images = &garbage_image; }, "x.png"},
        {"moderation on an edit", "openai", [](pictor_request &r) { r.moderation = "low"; }, "moderation"},
        {"quality on vip", "apiyi-vip", [](pictor_request &r) { r.quality = "high"; }, "quality"},
        {"size on laozhang", "laozhang", [](pictor_request &r) { r.size = "1024x1024"; }, "size"},
        {"invalid custom size", "openai", [](pictor_request &r) { r.size = "1000x1000"; }, "multiples of 16"},
        // RuoLi serves generations only (its size presets are checked on generations).
        {"any edit on ruoli", "ruoli", [](pictor_request &) {}, "generations only"},
        {"transparent on apiyi", "apiyi", [](pictor_request &r) { r.background = "transparent"; }, "transparent"},
        {"compression with png", "openai", [](pictor_request &r) { r.output_compression = 80; }, "jpeg and webp"},
        {"empty prompt", "openai", [](pictor_request &r) { r.prompt = ""; }, "prompt"},
    };
    for (const auto &c : cases) {
        auto client_handle = client(c.profile);
        pictor_request request;
        pictor_request_init(&request);
        request.prompt = "edit";
        request.images = &image;
        request.image_count = 1;
        c.setup(request);
        ResultPtr result;
        EXPECT_EQ(edit(client_handle.get(), request, result), PICTOR_ERR_INVALID_REQUEST) << c.name;
        const pictor_error *error = pictor_client_last_error(client_handle.get());
        EXPECT_EQ(error->request_sent, 0) << c.name;
        EXPECT_EQ(error->http_status, 0) << c.name;
        EXPECT_NE(std::string(error->message).find(c.message_part), std::string::npos)
            << c.name << ": " << error->message;
        // pictor_check_request agrees without sending either.
        EXPECT_EQ(pictor_check_request(client_handle.get(), &request, 1), PICTOR_ERR_INVALID_REQUEST) << c.name;
    }
    EXPECT_EQ(mock().api_requests().size(), 0u) << "a refused request must not be sent";
}

// The checks take the send's re-encoding into account: an image over the route's limit that
// the send would re-encode to fit passes them; with keep_uploads (sent as given) it is refused.
TEST_F(EditRoutes, ChecksAgreeWithTheSendOnImagesOverTheRouteLimit) {
    const std::string big = make_grain_png(2000, 1900); // ~11.4 MB
    ASSERT_GT(big.size(), 10ull << 20); // apiyi's documented per-image limit
    pictor_input_image image = input(big, "big.png");
    auto c = client("apiyi");
    pictor_request request;
    pictor_request_init(&request);
    request.prompt = "edit";
    request.images = &image;
    request.image_count = 1;
    EXPECT_EQ(pictor_check_request(c.get(), &request, 1), PICTOR_OK) << pictor_client_last_error(c.get())->message;
    double usd = -2;
    EXPECT_EQ(pictor_estimate_cost(c.get(), &request, 1, &usd), PICTOR_OK) << pictor_client_last_error(c.get())->message;
    EXPECT_GT(usd, 0); // apiyi's profile prices its model
    request.keep_uploads = 1;
    EXPECT_EQ(pictor_check_request(c.get(), &request, 1), PICTOR_ERR_INVALID_REQUEST);
    EXPECT_NE(std::string(pictor_client_last_error(c.get())->message).find("big.png is"), std::string::npos)
        << pictor_client_last_error(c.get())->message;
    EXPECT_EQ(pictor_estimate_cost(c.get(), &request, 1, &usd), PICTOR_ERR_INVALID_REQUEST);
    EXPECT_EQ(mock().api_requests().size(), 0u) << "a check sends nothing";
}

TEST_F(EditRoutes, TooLongPromptIsRefusedOnGenerations) {
    std::string prompt(32001, 'a');
    auto c = client("openai");
    pictor_request request;
    pictor_request_init(&request);
    request.prompt = prompt.c_str();
    ResultPtr result;
    EXPECT_EQ(generate(c.get(), request, result), PICTOR_ERR_INVALID_REQUEST);
    EXPECT_NE(std::string(pictor_client_last_error(c.get())->message).find("32,000"), std::string::npos);
    EXPECT_EQ(mock().api_requests().size(), 0u);
}

// FAST upload quality applies to images the host gives encoded, as jobs apply it to pixels: an
// opaque PNG goes up as JPEG; a PNG with transparency stays PNG (a JPEG would lose its alpha).
TEST_F(EditRoutes, FastUploadSendsAnOpaquePngAsJpegAndKeepsATransparentPng) {
    const std::string opaque = make_png(512, 384, false), transparent = make_png(512, 384, true);
    auto c = client("openai");
    auto sent = [&](const std::string &png, int upload_quality) {
        mock().reset();
        pictor_input_image images[] = {input(png, "frame.png")};
        pictor_request request;
        pictor_request_init(&request);
        request.prompt = "as a watercolour";
        request.images = images;
        request.image_count = 1;
        request.size = "1024x1024";
        request.upload_quality = upload_quality;
        ResultPtr result;
        EXPECT_EQ(edit(c.get(), request, result), PICTOR_OK) << pictor_client_last_error(c.get())->message;
        nlohmann::json seen = mock().api_requests();
        return seen.size() == 1 && seen[0]["files"].size() == 1 ? seen[0]["files"][0] : nlohmann::json();
    };
    nlohmann::json file = sent(opaque, PICTOR_UPLOAD_FAST);
    EXPECT_EQ(file["format"], "jpeg") << file;
    EXPECT_EQ(file["content_type"], "image/jpeg") << file;
    EXPECT_EQ(file["filename"], "frame.jpg") << file;
    EXPECT_EQ(file["width"], 512) << "sent at its own size: " << file;
    file = sent(transparent, PICTOR_UPLOAD_FAST);
    EXPECT_EQ(file["format"], "png") << file;
    EXPECT_EQ(file["filename"], "frame.png") << file;
    file = sent(opaque, PICTOR_UPLOAD_LOSSLESS);
    EXPECT_EQ(file["format"], "png") << "lossless sends the PNG as given: " << file;
}

} // namespace
} // namespace pictor_test
