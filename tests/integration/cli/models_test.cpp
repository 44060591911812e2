// Models and fields as profile data: a user's profile file adds a newer model to a shipped
// route (no rebuild), --param sends fields pictor does not know, --markup sends an overlay,
// and what a profile or model refuses is refused before anything is sent.
#include <gtest/gtest.h>

#include <filesystem>

#include "cli_fixture.hpp"

namespace pictor_test {
namespace {

using nlohmann::json;

// What a user would write to use a model the route serves since this release: only what
// differs from the route's default model (GATEWAYS.md, "Newer models").
const char kNewerModel[] = R"({
  "extends": "openai",
  "models": [{
    "model": "gpt-image-2.6-flare",
    "description": "added by the user",
    "quality_values": {"low": "low", "medium": "medium", "high": "high", "xhigh": "xhigh", "auto": "auto"},
    "complexity_values": {"low": "low", "medium": "medium", "high": "high"},
    "edits": {"markup": true}
  }]
})";

class PictorModels : public PictorCli {
protected:
    void add_user_profile(const std::string &name, const std::string &text) {
        std::filesystem::create_directories(dir_ + "/config/pictor/profiles");
        write_file(dir_ + "/config/pictor/profiles/" + name + ".json", text);
    }

    // The one file part named `name` of the only request, or null.
    static json part(const json &request, const std::string &name) {
        json found;
        for (const json &file : request["files"])
            if (file["name"] == name) found = file;
        return found;
    }
};

TEST_F(PictorModels, AUserProfileAddsANewerModelWithXhighAndComplexity) {
    add_user_profile("openai", kNewerModel);
    ProcessResult r = pictor(std::vector<std::string>{"generate", "a lighthouse", "--model", "gpt-image-2.6-flare",
                                                      "--quality", "xhigh", "--complexity", "high", "--json", "-o",
                                                      out("light.png")} + route("openai"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    json log = mock_->api_requests();
    ASSERT_EQ(log.size(), 1u);
    EXPECT_EQ(log[0]["json"]["model"], "gpt-image-2.6-flare");
    EXPECT_EQ(log[0]["json"]["quality"], "xhigh");
    EXPECT_EQ(log[0]["json"]["complexity"], "high");
    json result = single_json_object(r.out);
    EXPECT_EQ(result["model"], "gpt-image-2.6-flare");
    // The user gave no prices: the estimate is unknown, not a guess.
    EXPECT_TRUE(result["cost_usd_estimate"].is_null()) << result.dump();
    EXPECT_TRUE(file_exists(out("light.png")));

    // The shipped model is still the default, with its own checks and prices.
    ProcessResult plain = pictor(std::vector<std::string>{"generate", "a lighthouse", "--quality", "xhigh", "-o",
                                                          out("plain.png")} + route("openai"));
    EXPECT_EQ(plain.exit_code, 2) << plain.err;
    EXPECT_NE(plain.err.find("xhigh"), std::string::npos) << plain.err;
    EXPECT_EQ(mock_->api_requests().size(), 1u) << "gpt-image-2 with xhigh must not be sent";
}

TEST_F(PictorModels, ModelsListsWhatEachModelAccepts) {
    add_user_profile("openai", kNewerModel);
    ProcessResult r = pictor({"models", "--profile", "openai", "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    json list = json::parse(r.out);
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0]["default_model"], "gpt-image-2");
    ASSERT_EQ(list[0]["models"].size(), 2u);
    const json &shipped = list[0]["models"][0];
    const json &added = list[0]["models"][1];
    EXPECT_EQ(shipped["model"], "gpt-image-2");
    EXPECT_EQ(shipped["pricing"]["kind"], "per_image");
    EXPECT_EQ(added["model"], "gpt-image-2.6-flare");
    EXPECT_EQ(added["qualities"], (json{"auto", "high", "low", "medium", "xhigh"}));
    EXPECT_EQ(added["complexities"], (json{"high", "low", "medium"}));
    EXPECT_EQ(added["markup"], true);
    EXPECT_EQ(added["pricing"]["kind"], "unknown");
    // Inherited from the route's default model: its size rule and limits.
    EXPECT_EQ(added["size_rule"], "custom");
    EXPECT_EQ(added["max_images_per_request"], 10);

    ProcessResult text = pictor({"models"});
    ASSERT_EQ(text.exit_code, 0) << text.err;
    for (const char *name : {"apiyi-vip", "gpt-image-2-vip", "gpt-image-2.6-flare", "ruoli"})
        EXPECT_NE(text.out.find(name), std::string::npos) << name << " missing from:\n" << text.out;
    EXPECT_EQ(mock_->requests().size(), 0u);
}

TEST_F(PictorModels, AModelTheProfileDoesNotListIsRefusedBeforeSending) {
    ProcessResult r = pictor(std::vector<std::string>{"generate", "x", "--model", "gpt-image-9", "-o", out("x.png")} +
                             route("openai"));
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("gpt-image-9"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("gpt-image-2"), std::string::npos) << "should list the models it has: " << r.err;
    EXPECT_EQ(mock_->requests().size(), 0u);
}

TEST_F(PictorModels, ParamsReachGenerationsAsTypedJson) {
    // laozhang's reverse route ignores fields it does not know, so they all arrive.
    ProcessResult r = pictor(std::vector<std::string>{"generate", "a fox", "--param", "seed=3", "--param", "vivid=true",
                                                      "--param", "style=ink", "--param", "label=\"7\"", "--param",
                                                      "extra={\"a\": [1, 2]}", "-o", out("fox.png")} +
                             route("laozhang"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    json log = mock_->api_requests();
    ASSERT_EQ(log.size(), 1u);
    const json &body = log[0]["json"];
    EXPECT_EQ(body["seed"], json(3));
    EXPECT_TRUE(body["seed"].is_number_integer());
    EXPECT_EQ(body["vivid"], json(true));
    EXPECT_EQ(body["style"], json("ink"));
    EXPECT_EQ(body["label"], json("7"));
    EXPECT_EQ(body["extra"], (json{{"a", {1, 2}}}));
    EXPECT_NE(r.err.find("cannot check"), std::string::npos) << "the user is told: " << r.err;
    EXPECT_NE(r.err.find("bill"), std::string::npos) << r.err;
}

TEST_F(PictorModels, ParamsReachEditsAsFormFields) {
    const std::string image = dir_ + "/in/room.png";
    write_file(image, encode_test_image(64, 64, "png", false));
    ProcessResult r = pictor(std::vector<std::string>{"edit", "make it blue", "--image", image, "--param", "seed=3",
                                                      "--param", "style=ink", "--param", "extra={\"a\":1}", "-o",
                                                      out("blue.png")} + route("laozhang"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    json log = mock_->api_requests();
    ASSERT_EQ(log.size(), 1u);
    EXPECT_EQ(log[0]["fields"]["seed"], "3");
    EXPECT_EQ(log[0]["fields"]["style"], "ink");
    EXPECT_EQ(json::parse(log[0]["fields"]["extra"].get<std::string>()), (json{{"a", 1}}));
}

TEST_F(PictorModels, AnUnknownFieldIsRefusedBeforeSendingWhereTheProfileForbidsIt) {
    ProcessResult r = pictor(std::vector<std::string>{"generate", "a fox", "--param", "seed=3", "--json", "-o",
                                                      out("fox.png")} + route("apiyi-vip"));
    EXPECT_EQ(r.exit_code, 2) << r.err;
    json error = single_json_object(r.out)["error"];
    EXPECT_EQ(error["kind"], "invalid_request");
    EXPECT_EQ(error["may_be_billed"], false);
    EXPECT_NE(error["message"].get<std::string>().find("seed"), std::string::npos) << error.dump();
    EXPECT_EQ(mock_->requests().size(), 0u);
}

TEST_F(PictorModels, AFieldPictorSetsItselfCannotBeSmuggledAsAParam) {
    ProcessResult r = pictor(std::vector<std::string>{"generate", "a fox", "--param", "quality=ultra", "-o",
                                                      out("fox.png")} + route("openai"));
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("quality"), std::string::npos) << r.err;
    EXPECT_EQ(mock_->requests().size(), 0u);
}

TEST_F(PictorModels, MarkupArrivesAsAPartWithAlphaAtTheFirstImagesSize) {
    add_user_profile("openai", kNewerModel);
    const std::string image = dir_ + "/in/room.png";
    const std::string second = dir_ + "/in/sofa.png";
    const std::string markup = dir_ + "/in/arrows.png";
    write_file(image, encode_test_image(96, 64, "png", false));
    write_file(second, encode_test_image(48, 48, "png", false));
    write_file(markup, encode_test_image(96, 64, "png", true)); // left half transparent
    ProcessResult r = pictor(std::vector<std::string>{"edit", "move the sofa where the arrow points", "--model",
                                                      "gpt-image-2.6-flare", "--image", image, "--image", second,
                                                      "--markup", markup, "-o", out("room.png")} +
                             route("openai"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    json log = mock_->api_requests();
    ASSERT_EQ(log.size(), 1u);
    json sent = part(log[0], "markup");
    ASSERT_FALSE(sent.is_null()) << log[0]["files"].dump();
    EXPECT_EQ(sent["content_type"], "image/png");
    EXPECT_EQ(sent["sha256"], sha256_of_file(markup));
    EXPECT_EQ(sent["width"], 96);
    EXPECT_EQ(sent["height"], 64);
    // The test picture's left half (48 of 96 columns, all 64 rows) is transparent.
    EXPECT_EQ(sent["alpha"]["zero"], 48 * 64);
    EXPECT_EQ(sent["alpha_zero_bbox"], (json{0, 0, 48, 64}));
    EXPECT_TRUE(part(log[0], "mask").is_null());
    EXPECT_EQ(log[0]["fields"]["model"], "gpt-image-2.6-flare");
}

TEST_F(PictorModels, MarkupIsRefusedWithAMaskAndWhereTheModelTakesNone) {
    add_user_profile("openai", kNewerModel);
    const std::string image = dir_ + "/in/room.png";
    const std::string overlay = dir_ + "/in/arrows.png";
    write_file(image, encode_test_image(64, 64, "png", false));
    write_file(overlay, encode_test_image(64, 64, "png", true));
    ProcessResult with_mask = pictor(std::vector<std::string>{"edit", "x", "--model", "gpt-image-2.6-flare",
                                                              "--image", image, "--markup", overlay, "--mask", overlay,
                                                              "-o", out("a.png")} + route("openai"));
    EXPECT_EQ(with_mask.exit_code, 2) << with_mask.err;
    EXPECT_NE(with_mask.err.find("--mask"), std::string::npos) << with_mask.err;
    // gpt-image-2's entry says nothing of markup.
    ProcessResult old_model = pictor(std::vector<std::string>{"edit", "x", "--image", image, "--markup", overlay,
                                                              "-o", out("b.png")} + route("openai"));
    EXPECT_EQ(old_model.exit_code, 2) << old_model.err;
    EXPECT_NE(old_model.err.find("markup"), std::string::npos) << old_model.err;
    // Of another size than the first image.
    const std::string small = dir_ + "/in/small.png";
    write_file(small, encode_test_image(32, 32, "png", true));
    ProcessResult sized = pictor(std::vector<std::string>{"edit", "x", "--model", "gpt-image-2.6-flare", "--image",
                                                          image, "--markup", small, "-o", out("c.png")} +
                                 route("openai"));
    EXPECT_EQ(sized.exit_code, 2) << sized.err;
    EXPECT_NE(sized.err.find("same size"), std::string::npos) << sized.err;
    EXPECT_EQ(mock_->requests().size(), 0u);
}

TEST_F(PictorModels, ACostLimitRefusesAModelWithoutPrices) {
    add_user_profile("openai", kNewerModel);
    ProcessResult r = pictor(std::vector<std::string>{"generate", "x", "--model", "gpt-image-2.6-flare",
                                                      "--max-cost", "5", "-o", out("x.png")} + route("openai"));
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("unknown"), std::string::npos) << r.err;
    EXPECT_EQ(mock_->requests().size(), 0u);
}

} // namespace
} // namespace pictor_test
