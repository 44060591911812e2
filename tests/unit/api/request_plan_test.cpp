// plan_request with the shipped profiles: what is sent, what is never sent, and what is refused
// before anything leaves the machine.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/request_plan.hpp"
#include "api_test_support.hpp"

namespace pictor {
namespace {

using apitest::catch_error;
using apitest::shipped;
using apitest::shipped_names;

const std::string kBase = "http://gateway.test/v1";

RequestPlan plan(const std::string &profile_name, const ImageRequest &r, bool edit = false,
                 const std::string &base = kBase) {
    GatewayProfile p = shipped(profile_name);
    return plan_request(p, base, r, edit);
}

ImageRequest prompt_only(const std::string &prompt = "a red fox in snow") {
    ImageRequest r;
    r.prompt = prompt;
    return r;
}

ImageRequest edit_of(std::vector<std::string> images) {
    ImageRequest r = prompt_only("make the sky purple");
    for (auto &bytes : images)
        r.images.push_back({std::move(bytes), ""});
    return r;
}

nlohmann::json body_of(const PlannedCall &call) { return nlohmann::json::parse(call.http.body); }

const net::MultipartPart *part(const PlannedCall &call, const std::string &name) {
    for (const auto &p : call.http.multipart)
        if (p.name == name)
            return &p;
    return nullptr;
}

std::vector<const net::MultipartPart *> parts(const PlannedCall &call, const std::string &name) {
    std::vector<const net::MultipartPart *> out;
    for (const auto &p : call.http.multipart)
        if (p.name == name)
            out.push_back(&p);
    return out;
}

bool has_header(const PlannedCall &call, const std::string &header) {
    return std::find(call.http.headers.begin(), call.http.headers.end(), header) != call.http.headers.end();
}

// Expects a validation refusal: invalid_request, nothing sent, and each needle in the message.
void expect_refused(const std::string &profile_name, const ImageRequest &r, bool edit,
                    std::vector<std::string> needles, const std::string &base = kBase) {
    Error e = catch_error([&] { plan(profile_name, r, edit, base); });
    EXPECT_KIND(e, ErrorKind::invalid_request);
    EXPECT_FALSE(e.info().request_sent) << e.what();
    EXPECT_FALSE(e.info().may_be_billed) << e.what();
    EXPECT_EQ(e.info().http_status, 0);
    for (const auto &needle : needles)
        EXPECT_NE(std::string(e.what()).find(needle), std::string::npos)
            << "message should mention \"" << needle << "\": " << e.what();
}

// ---- generations: the JSON body per profile ----------------------------------------------------------

TEST(PlanGenerations, OpenaiMinimalSendsModelAndPromptOnly) {
    RequestPlan rp = plan("openai", prompt_only());
    ASSERT_EQ(rp.calls.size(), 1u);
    EXPECT_EQ(rp.endpoint, "generations");
    const PlannedCall &call = rp.calls[0];
    EXPECT_EQ(call.http.method, "POST");
    EXPECT_EQ(call.http.url, "http://gateway.test/v1/images/generations");
    EXPECT_TRUE(call.http.multipart.empty());
    EXPECT_TRUE(has_header(call, "Content-Type: application/json"));
    EXPECT_EQ(body_of(call), (nlohmann::json{{"model", "gpt-image-2"}, {"prompt", "a red fox in snow"}}));
    EXPECT_EQ(call.images, 1);
    EXPECT_EQ(rp.images_total, 1);
    EXPECT_EQ(rp.expected_size, (ImageSize{0, 0}));
    EXPECT_TRUE(call.http.bearer_token.empty()) << "the key is added by the client, not the plan";
    for (const auto &h : call.http.headers)
        EXPECT_EQ(h.find("Authorization"), std::string::npos) << h;
}

TEST(PlanGenerations, TrailingSlashesOnBaseUrlAreDropped) {
    RequestPlan rp = plan("openai", prompt_only(), false, "https://gw.example/v1///");
    EXPECT_EQ(rp.calls[0].http.url, "https://gw.example/v1/images/generations");
}

TEST(PlanGenerations, OpenaiSendsEveryFieldItAccepts) {
    ImageRequest r = prompt_only();
    r.size = "1536x1024";
    r.quality = "high";
    r.output_format = "jpeg";
    r.output_compression = 80;
    r.background = "opaque";
    r.moderation = "low";
    RequestPlan rp = plan("openai", r);
    ASSERT_EQ(rp.calls.size(), 1u);
    nlohmann::json body = body_of(rp.calls[0]);
    EXPECT_EQ(body["model"], "gpt-image-2");
    EXPECT_EQ(body["size"], "1536x1024");
    EXPECT_EQ(body["quality"], "high");
    EXPECT_EQ(body["output_format"], "jpeg");
    EXPECT_EQ(body["output_compression"], 80);
    EXPECT_EQ(body["background"], "opaque");
    EXPECT_EQ(body["moderation"], "low");
    EXPECT_FALSE(body.contains("response_format")) << "openai answers b64_json; response_format is not sent";
    EXPECT_FALSE(body.contains("input_fidelity"));
    EXPECT_FALSE(body.contains("n"));
    EXPECT_EQ(rp.expected_size, (ImageSize{1536, 1024}));
    EXPECT_EQ(rp.quality, "high");
    // parameters: what was sent, the prompt excluded.
    EXPECT_EQ(rp.parameters["size"], "1536x1024");
    EXPECT_EQ(rp.parameters["quality"], "high");
    EXPECT_FALSE(rp.parameters.contains("prompt"));
}

TEST(PlanGenerations, OpenaiSizeAutoIsSentAndUnsetIsNot) {
    ImageRequest r = prompt_only();
    r.size = "auto";
    EXPECT_EQ(body_of(plan("openai", r).calls[0])["size"], "auto");
    EXPECT_FALSE(body_of(plan("openai", prompt_only()).calls[0]).contains("size"));
}

TEST(PlanGenerations, OpenaiCustomSizesFollowTheRules) {
    ImageRequest r = prompt_only();
    for (const char *ok : {"1600x1200", "1792x1024", "2048x1536", "3200x1792", "3840x2160", "3072x1024"}) {
        r.size = ok;
        RequestPlan rp = plan("openai", r);
        EXPECT_EQ(body_of(rp.calls[0])["size"], ok);
        EXPECT_EQ(rp.expected_size.text(), ok);
    }
    // 3200x1800: listed as valid in GATEWAYS.md, but 1800 is not a multiple of 16.
    for (const char *bad : {"1000x1000", "4000x4000", "3840x1000", "3200x1800", "1024x624"}) {
        r.size = bad;
        expect_refused("openai", r, false, {bad, "size"});
    }
}

TEST(PlanGenerations, SizeThatIsNotWidthByHeightIsRefused) {
    ImageRequest r = prompt_only();
    for (const char *bad : {"1024X1024", "big", "1024 x 1024", "-1x5"}) {
        r.size = bad;
        expect_refused("openai", r, false, {bad, "WIDTHxHEIGHT"});
    }
}

TEST(PlanGenerations, SizeIsSentInCanonicalForm) {
    // parse_image_size accepts leading zeros; what goes on the wire must be plain WIDTHxHEIGHT
    // (or the size refused), never the caller's "01024x1024".
    ImageRequest r = prompt_only();
    r.size = "01024x1024";
    try {
        RequestPlan rp = plan("openai", r);
        EXPECT_EQ(body_of(rp.calls[0])["size"], "1024x1024");
        EXPECT_EQ(rp.parameters["size"], "1024x1024");
    } catch (const Error &e) {
        EXPECT_KIND(e, ErrorKind::invalid_request);
    }
}

TEST(PlanGenerations, OpenaiNThreeIsOneCallWithN) {
    ImageRequest r = prompt_only();
    r.n = 3;
    RequestPlan rp = plan("openai", r);
    ASSERT_EQ(rp.calls.size(), 1u);
    EXPECT_EQ(body_of(rp.calls[0])["n"], 3);
    EXPECT_EQ(rp.calls[0].images, 3);
    EXPECT_EQ(rp.images_total, 3);
    EXPECT_EQ(rp.parameters["n"], 3);
}

TEST(PlanGenerations, OpenaiNTenIsOneCall) {
    ImageRequest r = prompt_only();
    r.n = 10;
    RequestPlan rp = plan("openai", r);
    ASSERT_EQ(rp.calls.size(), 1u);
    EXPECT_EQ(body_of(rp.calls[0])["n"], 10);
}

TEST(PlanGenerations, ApiyiNThreeIsThreeCallsWithoutN) {
    ImageRequest r = prompt_only();
    r.n = 3;
    RequestPlan rp = plan("apiyi", r);
    ASSERT_EQ(rp.calls.size(), 3u);
    EXPECT_EQ(rp.images_total, 3);
    for (const auto &call : rp.calls) {
        EXPECT_FALSE(body_of(call).contains("n"));
        EXPECT_EQ(call.images, 1);
        EXPECT_EQ(call.http.url, "http://gateway.test/v1/images/generations");
    }
}

TEST(PlanGenerations, ApiyiRefusesTransparentBackground) {
    ImageRequest r = prompt_only();
    r.background = "transparent";
    expect_refused("apiyi", r, false, {"transparent", "opaque"});
    // At OpenAI it is sent.
    EXPECT_EQ(body_of(plan("openai", r).calls[0])["background"], "transparent");
}

TEST(PlanGenerations, VipUnsetSizeSendsTheDefaultSize) {
    GatewayProfile vip = shipped("apiyi-vip");
    RequestPlan rp = plan("apiyi-vip", prompt_only());
    ASSERT_EQ(rp.calls.size(), 1u);
    nlohmann::json body = body_of(rp.calls[0]);
    EXPECT_EQ(body["model"], "gpt-image-2-vip");
    EXPECT_EQ(body["size"], vip.default_size);
    EXPECT_EQ(rp.expected_size.text(), vip.default_size);
    EXPECT_EQ(body["response_format"], "b64_json");
    EXPECT_FALSE(body.contains("quality"));
    EXPECT_FALSE(body.contains("n"));
    // "auto" also means the route's default on a list route.
    ImageRequest r = prompt_only();
    r.size = "auto";
    EXPECT_EQ(body_of(plan("apiyi-vip", r).calls[0])["size"], vip.default_size);
}

TEST(PlanGenerations, VipBodyHasExactlyTheseFields) {
    for (const char *name : {"apiyi-vip", "laozhang-vip"}) {
        ImageRequest r = prompt_only();
        r.size = "3840x1632";
        r.quality = "auto";
        r.output_format = "png";
        r.background = "auto";
        r.moderation = "auto";
        nlohmann::json body = body_of(plan(name, r).calls[0]);
        EXPECT_EQ(body, (nlohmann::json{{"model", "gpt-image-2-vip"},
                                        {"prompt", "a red fox in snow"},
                                        {"size", "3840x1632"},
                                        {"response_format", "b64_json"}}))
            << name;
    }
}

TEST(PlanGenerations, VipNThreeIsThreeCallsEachWithoutN) {
    for (const char *name : {"apiyi-vip", "laozhang-vip"}) {
        ImageRequest r = prompt_only();
        r.n = 3;
        RequestPlan rp = plan(name, r);
        ASSERT_EQ(rp.calls.size(), 3u) << name;
        for (const auto &call : rp.calls) {
            EXPECT_FALSE(body_of(call).contains("n")) << name << ": n=3 is billed 3x and returns 1";
            EXPECT_EQ(call.images, 1);
        }
        EXPECT_FALSE(rp.parameters.contains("n"));
    }
}

TEST(PlanGenerations, VipRefusesSizesOutsideTheList) {
    ImageRequest r = prompt_only();
    r.size = "1024x1024"; // a preset, but not one of the 30
    expect_refused("apiyi-vip", r, false, {"1024x1024", "apiyi-vip", "2048x2048"});
}

TEST(PlanGenerations, VipAcceptsEveryListedSize) {
    GatewayProfile vip = shipped("laozhang-vip");
    ImageRequest r = prompt_only();
    for (const auto &size : vip.sizes) {
        r.size = size;
        RequestPlan rp = plan("laozhang-vip", r);
        EXPECT_EQ(body_of(rp.calls[0])["size"], size);
    }
}

TEST(PlanGenerations, QualityIsNeverSentWhereTheRouteRejectsIt) {
    for (const char *name : {"apiyi-vip", "laozhang-vip", "apiyi-all", "laozhang"}) {
        ImageRequest r = prompt_only();
        r.quality = "auto";
        nlohmann::json body = body_of(plan(name, r).calls[0]);
        EXPECT_FALSE(body.contains("quality")) << name;
        for (const char *q : {"low", "medium", "high"}) {
            r.quality = q;
            expect_refused(name, r, false, {"quality", q});
        }
    }
}

TEST(PlanGenerations, NoneRuleRoutesSendOnlyModelAndPrompt) {
    for (const char *name : {"apiyi-all", "laozhang"}) {
        GatewayProfile p = shipped(name);
        ImageRequest r = prompt_only();
        r.size = "auto";
        RequestPlan rp = plan(name, r);
        ASSERT_EQ(rp.calls.size(), 1u);
        EXPECT_EQ(body_of(rp.calls[0]), (nlohmann::json{{"model", p.model}, {"prompt", "a red fox in snow"}}))
            << name;
        EXPECT_EQ(rp.expected_size, (ImageSize{0, 0}));
    }
}

TEST(PlanGenerations, NoneRuleWithExplicitSizeIsRefused) {
    for (const char *name : {"apiyi-all", "laozhang"}) {
        ImageRequest r = prompt_only();
        r.size = "1024x1024";
        expect_refused(name, r, false, {name, "size"});
    }
}

TEST(PlanGenerations, NoneRuleRoutesFanOutN) {
    ImageRequest r = prompt_only();
    r.n = 2;
    RequestPlan rp = plan("laozhang", r);
    ASSERT_EQ(rp.calls.size(), 2u);
    for (const auto &call : rp.calls)
        EXPECT_FALSE(body_of(call).contains("n"));
}

TEST(PlanGenerations, RuoliMapsQualities) {
    ImageRequest r = prompt_only();
    for (auto [ours, theirs] : std::vector<std::pair<std::string, std::string>>{
             {"low", "standard"}, {"medium", "medium"}, {"high", "hd"}}) {
        r.quality = ours;
        RequestPlan rp = plan("ruoli", r);
        EXPECT_EQ(body_of(rp.calls[0])["quality"], theirs) << ours;
        EXPECT_EQ(rp.quality, ours);
    }
    r.quality = "auto"; // ruoli has no auto: left out
    EXPECT_FALSE(body_of(plan("ruoli", r).calls[0]).contains("quality"));
}

TEST(PlanGenerations, RuoliTakesPresetsOnly) {
    ImageRequest r = prompt_only();
    for (const auto &preset : preset_sizes()) {
        r.size = preset;
        EXPECT_EQ(body_of(plan("ruoli", r).calls[0])["size"], preset);
    }
    r.size = "1600x1200"; // valid custom size, not a preset
    expect_refused("ruoli", r, false, {"1600x1200", "ruoli", "1024x1024"});
    // Unset: the server's default, no size sent.
    EXPECT_FALSE(body_of(plan("ruoli", prompt_only()).calls[0]).contains("size"));
}

TEST(PlanGenerations, RuoliNThreeIsOneCall) {
    ImageRequest r = prompt_only();
    r.n = 3;
    RequestPlan rp = plan("ruoli", r);
    ASSERT_EQ(rp.calls.size(), 1u);
    EXPECT_EQ(body_of(rp.calls[0])["n"], 3);
}

TEST(PlanGenerations, RuoliRefusesFieldsItDoesNotTake) {
    ImageRequest r = prompt_only();
    r.output_format = "jpeg";
    expect_refused("ruoli", r, false, {"ruoli", "output_format"});
    r = prompt_only();
    r.background = "opaque";
    expect_refused("ruoli", r, false, {"ruoli", "opaque"});
    r = prompt_only();
    r.moderation = "low";
    expect_refused("ruoli", r, false, {"ruoli", "moderation"});
}

TEST(PlanGenerations, LaozhangOfficialIsAsOpenai) {
    ImageRequest r = prompt_only();
    r.n = 3;
    r.size = "2048x1536";
    r.quality = "medium";
    RequestPlan rp = plan("laozhang-official", r);
    ASSERT_EQ(rp.calls.size(), 1u);
    nlohmann::json body = body_of(rp.calls[0]);
    EXPECT_EQ(body["n"], 3);
    EXPECT_EQ(body["size"], "2048x1536");
    EXPECT_EQ(body["quality"], "medium");
    EXPECT_EQ(rp.calls[0].http.url, "http://gateway.test/v1/images/generations");
}

TEST(PlanGenerations, NothingForbiddenIsEverSentOnAnyProfile) {
    for (const auto &name : shipped_names()) {
        GatewayProfile p = shipped(name);
        ImageRequest r = prompt_only();
        r.quality = "auto";
        r.background = "auto";
        r.moderation = "auto";
        r.n = 2;
        RequestPlan rp = plan(name, r);
        for (const auto &call : rp.calls) {
            nlohmann::json body = body_of(call);
            EXPECT_EQ(body["model"], p.model) << name << ": model is always sent";
            EXPECT_FALSE(body.contains("input_fidelity")) << name;
            if (!p.sends_quality) {
                EXPECT_FALSE(body.contains("quality")) << name;
            }
            if (!p.sends_n) {
                EXPECT_FALSE(body.contains("n")) << name;
            }
            if (!p.sends_moderation) {
                EXPECT_FALSE(body.contains("moderation")) << name;
            }
            if (!p.sends_background) {
                EXPECT_FALSE(body.contains("background")) << name;
            }
            if (p.response_format.empty()) {
                EXPECT_FALSE(body.contains("response_format")) << name;
            } else {
                EXPECT_EQ(body["response_format"], p.response_format) << name;
            }
        }
        int images = 0;
        for (const auto &call : rp.calls)
            images += call.images;
        EXPECT_EQ(images, 2) << name;
    }
}

// ---- edits: the multipart form ------------------------------------------------------------------------

TEST(PlanEdits, OneImageIsSentAsImage) {
    ImageRequest r = edit_of({apitest::png()});
    RequestPlan rp = plan("openai", r, true);
    ASSERT_EQ(rp.calls.size(), 1u);
    const PlannedCall &call = rp.calls[0];
    EXPECT_EQ(rp.endpoint, "edits");
    EXPECT_EQ(call.http.url, "http://gateway.test/v1/images/edits");
    EXPECT_TRUE(call.http.body.empty());
    ASSERT_NE(part(call, "image"), nullptr);
    EXPECT_EQ(part(call, "image[]"), nullptr);
    EXPECT_EQ(part(call, "image")->content_type, "image/png");
    EXPECT_EQ(part(call, "image")->bytes(), r.images[0].bytes);
    EXPECT_EQ(part(call, "image")->filename, "image-1.png");
    ASSERT_NE(part(call, "model"), nullptr);
    EXPECT_EQ(part(call, "model")->data, "gpt-image-2");
    EXPECT_TRUE(part(call, "model")->filename.empty());
    ASSERT_NE(part(call, "prompt"), nullptr);
    EXPECT_EQ(part(call, "prompt")->data, "make the sky purple");
    EXPECT_FALSE(has_header(call, "Content-Type: application/json"))
        << "the transport sets the multipart content type with its boundary";
}

TEST(PlanEdits, SeveralImagesAreImageArrayPartsWithTheirRealTypes) {
    ImageRequest r = edit_of({apitest::jpeg(), apitest::webp(), apitest::png()});
    r.images[0].filename = "photo.png"; // a misleading name: the type comes from the bytes
    RequestPlan rp = plan("openai", r, true);
    const PlannedCall &call = rp.calls[0];
    EXPECT_EQ(part(call, "image"), nullptr);
    auto images = parts(call, "image[]");
    ASSERT_EQ(images.size(), 3u);
    EXPECT_EQ(images[0]->content_type, "image/jpeg");
    EXPECT_EQ(images[0]->filename, "photo.png");
    EXPECT_EQ(images[1]->content_type, "image/webp");
    EXPECT_EQ(images[1]->filename, "image-2.webp");
    EXPECT_EQ(images[2]->content_type, "image/png");
    EXPECT_EQ(images[2]->filename, "image-3.png");
    for (size_t i = 0; i < 3; ++i)
        EXPECT_EQ(images[i]->bytes(), r.images[i].bytes);
}

TEST(PlanEdits, SixteenImagesAreAccepted) {
    ImageRequest r = edit_of(std::vector<std::string>(16, apitest::png()));
    RequestPlan rp = plan("apiyi", r, true);
    EXPECT_EQ(parts(rp.calls[0], "image[]").size(), 16u);
}

// Parts pictor encoded are in spool files: the plan reads their type from the file's header,
// checks their size against the route, and hands the transport the file, not bytes.
TEST(PlanEdits, SpooledPartsAreSentFromTheirFilesWithTheirRealTypes) {
    ImageRequest r = prompt_only("make the sky purple");
    r.images.push_back(apitest::spooled(apitest::jpeg(), "layer.jpg"));
    r.images.push_back(apitest::spooled(apitest::png(), ""));
    r.has_mask = true;
    r.mask = apitest::spooled(apitest::mask_png(), "mask.png");
    RequestPlan rp = plan("openai", r, true);
    auto images = parts(rp.calls[0], "image[]");
    ASSERT_EQ(images.size(), 2u);
    EXPECT_EQ(images[0]->content_type, "image/jpeg");
    EXPECT_EQ(images[1]->content_type, "image/png");
    EXPECT_EQ(images[1]->filename, "image-2.png");
    for (size_t i = 0; i < 2; ++i) {
        EXPECT_EQ(images[i]->spool, r.images[i].spool) << "part " << i << " is not sent from its file";
        EXPECT_EQ(images[i]->size(), r.images[i].spool->size());
    }
    const net::MultipartPart *mask = part(rp.calls[0], "mask");
    ASSERT_NE(mask, nullptr);
    EXPECT_EQ(mask->spool, r.mask.spool);
}

TEST(PlanEdits, ASpooledPartOverTheRouteLimitIsRefusedBySize) {
    std::string big = apitest::png();
    big.resize(11 * 1024 * 1024, '\0'); // trailing bytes after IEND: a valid header, 11 MiB
    ImageRequest r = prompt_only("make the sky purple");
    r.keep_uploads = true; // refused, not re-encoded
    r.images.push_back(apitest::spooled(big, "layer.png"));
    expect_refused("apiyi", r, true, {"layer.png", "11.0 MiB"});
}

TEST(PlanEdits, MaskIsAPngPart) {
    ImageRequest r = edit_of({apitest::png(32, 24)});
    r.has_mask = true;
    r.mask.bytes = apitest::mask_png(32, 24);
    RequestPlan rp = plan("openai", r, true);
    const net::MultipartPart *mask = part(rp.calls[0], "mask");
    ASSERT_NE(mask, nullptr);
    EXPECT_EQ(mask->content_type, "image/png");
    EXPECT_FALSE(mask->filename.empty());
    EXPECT_EQ(mask->bytes(), r.mask.bytes);
    EXPECT_EQ(parts(rp.calls[0], "mask").size(), 1u);
}

TEST(PlanEdits, MaskMatchesFirstImageEvenWhenOthersDiffer) {
    ImageRequest r = edit_of({apitest::png(32, 24), apitest::jpeg(64, 64)});
    r.has_mask = true;
    r.mask.bytes = apitest::mask_png(32, 24);
    EXPECT_EQ(parts(plan("openai", r, true).calls[0], "mask").size(), 1u);
}

TEST(PlanEdits, NoModerationOrInputFidelityPartOnAnyProfile) {
    for (const auto &name : shipped_names()) {
        if (!shipped(name).serves_edits)
            continue; // PlanEdits.RouteWithoutEditsRefusesThemBeforeSending
        ImageRequest r = edit_of({apitest::png()});
        r.moderation = "auto";
        RequestPlan rp = plan(name, r, true);
        for (const auto &call : rp.calls) {
            EXPECT_EQ(part(call, "moderation"), nullptr) << name << ": the edit form has no moderation field";
            EXPECT_EQ(part(call, "input_fidelity"), nullptr) << name;
            EXPECT_NE(part(call, "model"), nullptr) << name;
            EXPECT_EQ(call.http.url, "http://gateway.test/v1/images/edits") << name;
        }
        EXPECT_FALSE(rp.parameters.contains("moderation")) << name;
    }
}

TEST(PlanEdits, RouteWithoutEditsRefusesThemBeforeSending) {
    // RuoLi documents /v1/images/generations only; its profile says so.
    try {
        plan("ruoli", edit_of({apitest::png()}), true);
        FAIL() << "an edit was planned for ruoli";
    } catch (const Error &e) {
        EXPECT_EQ(e.info().kind, ErrorKind::invalid_request);
        EXPECT_NE(e.info().message.find("generations only"), std::string::npos) << e.info().message;
    }
    EXPECT_NO_THROW(plan("ruoli", prompt_only(), false));
}

TEST(PlanEdits, OpenaiSendsNoResponseFormat) {
    ImageRequest r = edit_of({apitest::png()});
    r.quality = "low";
    RequestPlan rp = plan("openai", r, true);
    EXPECT_EQ(part(rp.calls[0], "response_format"), nullptr);
    ASSERT_NE(part(rp.calls[0], "quality"), nullptr);
    EXPECT_EQ(part(rp.calls[0], "quality")->data, "low");
}

TEST(PlanEdits, OpenaiNThreeIsOneCallWithAnNPart) {
    ImageRequest r = edit_of({apitest::png()});
    r.n = 3;
    RequestPlan rp = plan("openai", r, true);
    ASSERT_EQ(rp.calls.size(), 1u);
    ASSERT_NE(part(rp.calls[0], "n"), nullptr);
    EXPECT_EQ(part(rp.calls[0], "n")->data, "3");
}

TEST(PlanEdits, ApiyiNThreeIsThreeCallsWithoutN) {
    ImageRequest r = edit_of({apitest::png()});
    r.n = 3;
    RequestPlan rp = plan("apiyi", r, true);
    ASSERT_EQ(rp.calls.size(), 3u);
    for (const auto &call : rp.calls) {
        EXPECT_EQ(part(call, "n"), nullptr);
        EXPECT_NE(part(call, "image"), nullptr) << "every call carries the image";
    }
}

TEST(PlanEdits, VipSendsSizeAndResponseFormatButNeverQualityOrN) {
    ImageRequest r = edit_of({apitest::png()});
    r.n = 2;
    r.quality = "auto";
    RequestPlan rp = plan("apiyi-vip", r, true);
    ASSERT_EQ(rp.calls.size(), 2u);
    for (const auto &call : rp.calls) {
        ASSERT_NE(part(call, "size"), nullptr);
        EXPECT_EQ(part(call, "size")->data, shipped("apiyi-vip").default_size);
        ASSERT_NE(part(call, "response_format"), nullptr);
        EXPECT_EQ(part(call, "response_format")->data, "b64_json");
        EXPECT_EQ(part(call, "quality"), nullptr);
        EXPECT_EQ(part(call, "n"), nullptr);
        EXPECT_EQ(part(call, "model")->data, "gpt-image-2-vip");
    }
}

TEST(PlanEdits, CompressionIsSentAsText) {
    ImageRequest r = edit_of({apitest::png()});
    r.output_format = "webp";
    r.output_compression = 55;
    RequestPlan rp = plan("openai", r, true);
    ASSERT_NE(part(rp.calls[0], "output_compression"), nullptr);
    EXPECT_EQ(part(rp.calls[0], "output_compression")->data, "55");
    EXPECT_EQ(part(rp.calls[0], "output_format")->data, "webp");
}

// ---- validation refusals ------------------------------------------------------------------------------

TEST(PlanValidation, EmptyPrompt) { expect_refused("openai", prompt_only(""), false, {"prompt"}); }

TEST(PlanValidation, PromptOf32001CharactersIsRefused) {
    expect_refused("openai", prompt_only(std::string(32001, 'a')), false, {"prompt", "32001", "32,000"});
}

TEST(PlanValidation, PromptOf32000CharactersIsFine) {
    EXPECT_EQ(plan("openai", prompt_only(std::string(32000, 'a'))).calls.size(), 1u);
}

TEST(PlanValidation, PromptLengthCountsCharactersNotBytes) {
    std::string chinese;
    for (int i = 0; i < 32000; ++i)
        chinese += "\xE7\x8C\xAB"; // 猫, 3 bytes in UTF-8
    ASSERT_EQ(chinese.size(), 96000u);
    RequestPlan rp = plan("openai", prompt_only(chinese));
    EXPECT_EQ(body_of(rp.calls[0])["prompt"], chinese);
    // One more character is too many.
    expect_refused("openai", prompt_only(chinese + "\xE7\x8C\xAB"), false, {"32001"});
    // 4-byte characters (emoji) count once too.
    std::string emoji;
    for (int i = 0; i < 32000; ++i)
        emoji += "\xF0\x9F\x90\x88"; // U+1F408
    EXPECT_NO_THROW(plan("openai", prompt_only(emoji)));
}

TEST(PlanValidation, NOutOfRange) {
    for (int n : {0, -1, 11}) {
        ImageRequest r = prompt_only();
        r.n = n;
        expect_refused("openai", r, false, {"number of images", "10"});
    }
}

TEST(PlanValidation, BadQuality) {
    ImageRequest r = prompt_only();
    r.quality = "ultra";
    expect_refused("openai", r, false, {"quality", "ultra", "auto, high, low, medium"});
    r.quality = "hd"; // the route's word, not ours
    expect_refused("ruoli", r, false, {"quality", "hd"});
}

TEST(PlanValidation, BadOutputFormat) {
    ImageRequest r = prompt_only();
    r.output_format = "gif";
    expect_refused("openai", r, false, {"gif", "png, jpeg, webp"});
    r.output_format = "jpg";
    expect_refused("openai", r, false, {"jpg"});
}

TEST(PlanValidation, BadBackground) {
    ImageRequest r = prompt_only();
    r.background = "black";
    expect_refused("openai", r, false, {"background", "black"});
}

TEST(PlanValidation, BadModeration) {
    ImageRequest r = prompt_only();
    r.moderation = "strict";
    expect_refused("openai", r, false, {"moderation", "strict", "auto or low"});
}

TEST(PlanValidation, CompressionWithPngOrNoFormatIsRefused) {
    ImageRequest r = prompt_only();
    r.output_format = "png";
    r.output_compression = 50;
    expect_refused("openai", r, false, {"compression", "jpeg", "webp"});
    r.output_format = "";
    expect_refused("openai", r, false, {"compression", "\"output_format\""});
}

TEST(PlanValidation, CompressionOver100IsRefused) {
    ImageRequest r = prompt_only();
    r.output_format = "jpeg";
    r.output_compression = 101;
    expect_refused("openai", r, false, {"compression", "0-100"});
    r.output_compression = 100;
    EXPECT_EQ(body_of(plan("openai", r).calls[0])["output_compression"], 100);
    r.output_compression = 0;
    EXPECT_EQ(body_of(plan("openai", r).calls[0])["output_compression"], 0);
}

TEST(PlanValidation, ModerationLowOnEditsIsRefused) {
    ImageRequest r = edit_of({apitest::png()});
    r.moderation = "low";
    expect_refused("openai", r, true, {"moderation", "edit"});
}

TEST(PlanValidation, ModerationLowOnVipIsRefused) {
    ImageRequest r = prompt_only();
    r.moderation = "low";
    expect_refused("apiyi-vip", r, false, {"apiyi-vip", "moderation"});
}

TEST(PlanValidation, EditWithoutImagesIsRefused) {
    expect_refused("openai", prompt_only(), true, {"image"});
}

TEST(PlanValidation, MaskThatIsNotPngIsRefused) {
    ImageRequest r = edit_of({apitest::png()});
    r.has_mask = true;
    r.mask.bytes = apitest::jpeg();
    expect_refused("openai", r, true, {"mask", "PNG", "jpeg"});
}

TEST(PlanValidation, MaskWithoutAlphaIsRefused) {
    ImageRequest r = edit_of({apitest::png()});
    r.has_mask = true;
    r.mask.bytes = apitest::encoded(apitest::solid(16, 16), ImageFormat::png, false);
    expect_refused("openai", r, true, {"mask", "alpha"});
}

TEST(PlanValidation, MaskOfAnotherSizeIsRefused) {
    ImageRequest r = edit_of({apitest::png(32, 32)});
    r.has_mask = true;
    r.mask.bytes = apitest::mask_png(16, 32);
    expect_refused("openai", r, true, {"mask", "16x32", "32x32", "same size"});
}

TEST(PlanValidation, MaskThatIsNotAnImageIsRefused) {
    ImageRequest r = edit_of({apitest::png()});
    r.has_mask = true;
    r.mask.bytes = "not an image at all";
    expect_refused("openai", r, true, {"mask"});
}

TEST(PlanValidation, MaskOverTheProfileByteLimitIsRefused) {
    ImageRequest r = edit_of({apitest::png()});
    r.has_mask = true;
    r.mask.bytes = apitest::mask_png();
    r.mask.bytes.resize(shipped("apiyi").max_mask_bytes + 1, '\0');
    expect_refused("apiyi", r, true, {"mask", "apiyi", "MiB"});
}

TEST(PlanValidation, SeventeenImagesAreRefused) {
    ImageRequest r = edit_of(std::vector<std::string>(17, apitest::png()));
    expect_refused("openai", r, true, {"17", "16"});
}

TEST(PlanValidation, ImageOverTheProfileByteLimitIsRefusedWhenSentAsGiven) {
    GatewayProfile apiyi = shipped("apiyi");
    ASSERT_EQ(apiyi.max_edit_image_bytes, 10485760u);
    std::string big = apitest::png();
    big.resize(apiyi.max_edit_image_bytes + 1, '\0'); // a valid header, padded past the limit
    ImageRequest r = edit_of({big});
    r.images[0].filename = "huge.png";
    // Without keep_uploads the send re-encodes it to fit (upload_plan), so the plan takes it.
    EXPECT_NO_THROW(plan("apiyi", r, true));
    r.keep_uploads = true;
    expect_refused("apiyi", r, true, {"huge.png", "apiyi", "MiB"});
    // The same bytes are fine where the limit is higher.
    EXPECT_NO_THROW(plan("openai", r, true));
    // Exactly at the limit is fine.
    big.resize(apiyi.max_edit_image_bytes);
    EXPECT_NO_THROW(plan("apiyi", edit_of({big}), true));
}

TEST(PlanValidation, OversizedImageMessageDoesNotUnderstateTheSize) {
    // 10.5 MiB on a 10 MiB route. "is 10 MiB; ... accepts at most 10 MiB" contradicts itself.
    std::string big = apitest::png();
    big.resize(10u * 1024 * 1024 + 512 * 1024, '\0');
    ImageRequest r = edit_of({big});
    r.keep_uploads = true; // sent as given: refused
    Error e = catch_error([&] { plan("apiyi", r, true); });
    EXPECT_KIND(e, ErrorKind::invalid_request);
    EXPECT_EQ(std::string(e.what()).find("is 10 MiB"), std::string::npos)
        << "the image's size is rounded down to the limit itself: " << e.what();
}

// The numbers a refusal states, in order ("big.png is 10.0 MiB; ... at most 10.0 MiB" -> 10.0, 10.0).
std::vector<std::string> numbers_in(const std::string &text) {
    std::vector<std::string> out;
    std::regex number(R"(\d+(\.\d+)?)");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), number); it != std::sregex_iterator(); ++it)
        out.push_back(it->str());
    return out;
}

TEST(PlanValidation, ImageOneByteOverTheLimitDoesNotReadAsEqualToIt) {
    // request_plan.cpp's mebibytes() promises "a file just over a limit never reads as equal to
    // it", but one decimal place rounds 10 MiB + 1 byte to "10.0 MiB", the limit itself.
    std::string big = apitest::png();
    big.resize(shipped("apiyi").max_edit_image_bytes + 1, '\0');
    ImageRequest r = edit_of({big});
    r.images[0].filename = "big.png";
    r.keep_uploads = true; // sent as given: refused
    Error e = catch_error([&] { plan("apiyi", r, true); });
    EXPECT_KIND(e, ErrorKind::invalid_request);
    std::vector<std::string> numbers = numbers_in(e.what());
    ASSERT_GE(numbers.size(), 2u) << e.what();
    EXPECT_NE(numbers[0], numbers[1]) << "the image's size reads as the limit: " << e.what();
}

TEST(PlanValidation, MaskOneByteOverTheLimitDoesNotReadAsEqualToIt) {
    ImageRequest r = edit_of({apitest::png()});
    r.has_mask = true;
    r.mask.bytes = apitest::mask_png();
    r.mask.bytes.resize(shipped("apiyi").max_mask_bytes + 1, '\0');
    Error e = catch_error([&] { plan("apiyi", r, true); });
    EXPECT_KIND(e, ErrorKind::invalid_request);
    std::vector<std::string> numbers = numbers_in(e.what());
    ASSERT_GE(numbers.size(), 2u) << e.what();
    EXPECT_NE(numbers[0], numbers[1]) << "the mask's size reads as the limit: " << e.what();
}

TEST(PlanValidation, NonImageInputIsRefused) {
    ImageRequest r = edit_of({"GIF89a not what we take"});
    r.images[0].filename = "cat.gif";
    expect_refused("openai", r, true, {"cat.gif", "PNG, JPEG or WebP"});
    ImageRequest unnamed = edit_of({apitest::png(), "plain text"});
    expect_refused("openai", unnamed, true, {"image 2"});
}

TEST(PlanValidation, BaseUrlWithoutHttpSchemeIsRefused) {
    for (const char *base : {"api.openai.com/v1", "ftp://api.openai.com/v1", "", "HTTPS//x"}) {
        expect_refused("openai", prompt_only(), false, {"base URL", "https://"}, base);
    }
    EXPECT_NO_THROW(plan("openai", prompt_only(), false, "http://127.0.0.1:8080/v1"));
    EXPECT_NO_THROW(plan("openai", prompt_only(), false, "https://api.openai.com/v1"));
}

// ---- timeouts -----------------------------------------------------------------------------------------

TEST(TimeoutForQuality, Values) {
    EXPECT_DOUBLE_EQ(timeout_for_quality("low"), 120);
    EXPECT_DOUBLE_EQ(timeout_for_quality("medium"), 240);
    EXPECT_DOUBLE_EQ(timeout_for_quality("high"), 600);
    EXPECT_DOUBLE_EQ(timeout_for_quality("auto"), 600);
    EXPECT_DOUBLE_EQ(timeout_for_quality(""), 600);
}

TEST(TimeoutForQuality, PlanUsesItUnlessTheCallerGivesOne) {
    ImageRequest r = prompt_only();
    r.quality = "low";
    RequestPlan rp = plan("openai", r);
    EXPECT_DOUBLE_EQ(rp.timeout_s, 120);
    EXPECT_EQ(rp.calls[0].http.total_timeout_ms, 120000);
    r.quality = "medium";
    EXPECT_EQ(plan("openai", r).calls[0].http.total_timeout_ms, 240000);
    r.timeout_s = 33.5;
    rp = plan("openai", r);
    EXPECT_DOUBLE_EQ(rp.timeout_s, 33.5);
    EXPECT_EQ(rp.calls[0].http.total_timeout_ms, 33500);
    // Quality the route does not send still sets the client's wait (vip: unset → 600).
    EXPECT_DOUBLE_EQ(plan("apiyi-vip", prompt_only()).timeout_s, 600);
}

// ---- models, complexity, markup and extra fields: all from the profile's model entry -------------------

GatewayProfile openai_with_newer_model() {
    GatewayProfile p = shipped("openai");
    ModelSpec next = p; // what a user's file states: the default's keys plus what differs
    next.model = "gpt-image-2.6-flare";
    next.quality_values["xhigh"] = "xhigh";
    next.complexity_values = {{"low", "low"}, {"high", "high"}};
    next.takes_markup = true;
    next.pricing = ModelPricing{};
    p.models.push_back(next);
    return p;
}

TEST(PlanModels, TheChosenModelIsSentAndItsEntryDecides) {
    GatewayProfile route = openai_with_newer_model();
    ImageRequest r = prompt_only();
    r.quality = "xhigh";
    r.complexity = "high";
    RequestPlan rp = plan_request(route.for_model("gpt-image-2.6-flare"), kBase, r, false);
    nlohmann::json body = body_of(rp.calls[0]);
    EXPECT_EQ(body["model"], "gpt-image-2.6-flare");
    EXPECT_EQ(body["quality"], "xhigh");
    EXPECT_EQ(body["complexity"], "high");
    EXPECT_FALSE(rp.cost_usd.has_value()) << "no prices stated: unknown";
    EXPECT_EQ(rp.model.model, "gpt-image-2.6-flare");
    // The default model takes neither.
    Error quality = catch_error([&] { plan_request(route, kBase, r, false); });
    EXPECT_NE(std::string(quality.what()).find("xhigh"), std::string::npos) << quality.what();
    r.quality.clear();
    Error complexity = catch_error([&] { plan_request(route, kBase, r, false); });
    EXPECT_NE(std::string(complexity.what()).find("complexity"), std::string::npos) << complexity.what();
    r.complexity = "medium"; // not in the newer model's list either
    Error unlisted = catch_error([&] { plan_request(route.for_model("gpt-image-2.6-flare"), kBase, r, false); });
    EXPECT_NE(std::string(unlisted.what()).find("high, low"), std::string::npos) << unlisted.what();
}

TEST(PlanModels, MarkupIsAPngPartWhereTheModelTakesIt) {
    GatewayProfile next = openai_with_newer_model().for_model("gpt-image-2.6-flare");
    ImageRequest r = edit_of({apitest::png(32, 24)});
    r.has_markup = true;
    r.markup = {apitest::mask_png(32, 24), "arrows.png"};
    RequestPlan rp = plan_request(next, kBase, r, true);
    const net::MultipartPart *markup = part(rp.calls[0], "markup");
    ASSERT_NE(markup, nullptr);
    EXPECT_EQ(markup->bytes(), r.markup.bytes);
    EXPECT_EQ(markup->filename, "arrows.png");
    EXPECT_EQ(markup->content_type, "image/png");
    EXPECT_EQ(part(rp.calls[0], "mask"), nullptr);
}

TEST(PlanModels, MarkupIsRefusedWithAMaskOnTheWrongModelOrTheWrongSize) {
    GatewayProfile route = openai_with_newer_model();
    GatewayProfile next = route.for_model("gpt-image-2.6-flare");
    ImageRequest r = edit_of({apitest::png(32, 24)});
    r.has_markup = true;
    r.markup = {apitest::mask_png(32, 24), ""};
    auto refused = [&](const GatewayProfile &p, const ImageRequest &q, bool edit, const char *needle) {
        Error e = catch_error([&] { plan_request(p, kBase, q, edit); });
        EXPECT_KIND(e, ErrorKind::invalid_request);
        EXPECT_FALSE(e.info().request_sent);
        EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << needle << ": " << e.what();
    };
    refused(route, r, true, "takes no markup");
    ImageRequest masked = r;
    masked.has_mask = true;
    masked.mask = {apitest::mask_png(32, 24), ""};
    refused(next, masked, true, "markup and a mask");
    ImageRequest sized = r;
    sized.markup.bytes = apitest::mask_png(16, 16);
    refused(next, sized, true, "same size");
    ImageRequest opaque = r;
    opaque.markup.bytes = apitest::png(32, 24); // no alpha channel
    refused(next, opaque, true, "alpha");
    refused(next, r, false, "edits only");
}

TEST(PlanModels, ExtraFieldsAreSentAsGivenUnlessTheProfileForbidsThem) {
    ImageRequest r = prompt_only();
    r.extra_fields = {{"seed", 3}, {"style", "ink"}, {"extra", {{"a", 1}}}};
    nlohmann::json body = body_of(plan("openai", r).calls[0]);
    EXPECT_EQ(body["seed"], 3);
    EXPECT_EQ(body["style"], "ink");
    EXPECT_EQ(body["extra"], (nlohmann::json{{"a", 1}}));
    EXPECT_EQ(plan("openai", r).parameters["seed"], 3) << "kept in history with the rest";

    ImageRequest e = edit_of({apitest::png()});
    e.extra_fields = r.extra_fields;
    RequestPlan edit = plan("openai", e, true);
    EXPECT_EQ(part(edit.calls[0], "seed")->data, "3");
    EXPECT_EQ(part(edit.calls[0], "style")->data, "ink");
    EXPECT_EQ(part(edit.calls[0], "extra")->data, R"({"a":1})");

    for (const char *vip : {"apiyi-vip", "laozhang-vip"})
        expect_refused(vip, r, false, {vip, "seed"});
    ImageRequest smuggled = prompt_only();
    smuggled.extra_fields = {{"quality", "ultra"}};
    expect_refused("openai", smuggled, false, {"quality", "sets and checks itself"});
    smuggled.extra_fields = {{"bad name", 1}};
    expect_refused("openai", smuggled, false, {"bad name"});
}

} // namespace
} // namespace pictor
