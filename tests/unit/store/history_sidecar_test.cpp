// The history sidecar's one schema: sidecars written by earlier versions still read (field by
// field, unknown keys kept), and a rewrite changes only what it means to change.
#include <fstream>
#include <iterator>

#include "store/history_catalog.hpp"
#include "store/history_sidecar.hpp"
#include "store_test_support.hpp"

namespace pictor::storetest {
namespace {

// Written by hand exactly as the previous version wrote an edit's sidecar (image_client.cpp
// assembled it, history_store.cpp added id/image_file/time, the request runner "delivered"),
// plus a key no version writes: it must survive a rewrite.
const char *const previous_format = R"({
  "base_url": "https://api.openai.com/v1",
  "cost_usd_estimate": 0.053,
  "delivered": false,
  "endpoint": "edits",
  "format": "png",
  "id": "20261121-153012-ab12cd-1",
  "image_file": "20261121-153012-ab12cd-1.png",
  "index": 1,
  "input_images": ["layer.png", "reference.jpg"],
  "mask": true,
  "model": "gpt-image-2",
  "parameters": {"quality": "medium", "size": "1024x1024"},
  "prompt": "a red fox, \u00e9t\u00e9",
  "profile": "openai",
  "request_id": "req_0123",
  "size": "1024x1024",
  "time": "2026-11-21T15:30:12Z",
  "usage": {"input_tokens": 120, "output_tokens": 4160},
  "note_from_a_later_version": {"kept": true}
}
)";

std::string slurp(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void write(const std::string &path, const std::string &text) { std::ofstream(path, std::ios::binary) << text; }

TEST(HistorySidecar, ReadsASidecarOfThePreviousFormat) {
    TempDir dir;
    write(dir / "20261121-153012-ab12cd-1.png", "PNGBYTES");
    write(dir / "20261121-153012-ab12cd-1.json", previous_format);
    std::vector<HistoryRecord> list = list_history(dir.path());
    ASSERT_EQ(list.size(), 1u);
    ASSERT_TRUE(list[0].sidecar_read);
    const HistorySidecar &s = list[0].sidecar;
    EXPECT_EQ(s.prompt, "a red fox, \xc3\xa9t\xc3\xa9");
    EXPECT_EQ(s.profile, "openai");
    EXPECT_EQ(s.model, "gpt-image-2");
    EXPECT_EQ(s.base_url, "https://api.openai.com/v1");
    EXPECT_EQ(s.endpoint, "edits");
    EXPECT_EQ(s.parameters["quality"], "medium");
    EXPECT_EQ(s.format, "png");
    EXPECT_EQ(s.request_id, "req_0123");
    EXPECT_EQ(s.usage["output_tokens"], 4160);
    EXPECT_EQ(s.index, 1);
    ASSERT_TRUE(s.cost_usd_estimate.has_value());
    EXPECT_DOUBLE_EQ(*s.cost_usd_estimate, 0.053);
    ASSERT_TRUE(s.input_images.has_value());
    EXPECT_EQ(*s.input_images, (std::vector<std::string>{"layer.png", "reference.jpg"}));
    EXPECT_EQ(s.mask, std::optional<bool>(true));
    EXPECT_EQ(s.size, "1024x1024");
    EXPECT_EQ(s.id, "20261121-153012-ab12cd-1");
    EXPECT_EQ(s.image_file, "20261121-153012-ab12cd-1.png");
    EXPECT_EQ(s.time, "2026-11-21T15:30:12Z");
    EXPECT_FALSE(s.delivered);
    EXPECT_EQ(list[0].image_path, dir / "20261121-153012-ab12cd-1.png");
}

TEST(HistorySidecar, MarkingDeliveredRewritesOnlyThatKey) {
    TempDir dir;
    const std::string sidecar_path = dir / "20261121-153012-ab12cd-1.json";
    write(dir / "20261121-153012-ab12cd-1.png", "PNGBYTES");
    write(sidecar_path, previous_format);
    set_history_delivered(dir / "20261121-153012-ab12cd-1.png", true);
    nlohmann::json expected = nlohmann::json::parse(previous_format);
    expected.erase("delivered"); // an entry without the key is a delivered one, as before
    EXPECT_EQ(nlohmann::json::parse(slurp(sidecar_path)), expected);
    set_history_delivered(dir / "20261121-153012-ab12cd-1.png", false);
    expected["delivered"] = false;
    EXPECT_EQ(nlohmann::json::parse(slurp(sidecar_path)), expected);
}

TEST(HistorySidecar, AGenerationsSidecarHasNoEditKeysAndAnUnknownPriceIsNull) {
    HistorySidecar s;
    s.prompt = "p";
    s.index = 2;
    nlohmann::json json = s;
    EXPECT_FALSE(json.contains("input_images"));
    EXPECT_FALSE(json.contains("mask"));
    EXPECT_FALSE(json.contains("delivered"));
    EXPECT_TRUE(json["cost_usd_estimate"].is_null());
    EXPECT_EQ(json["index"], 2);
}

TEST(HistorySidecar, MistypedOrMissingKeysKeepTheirDefaults) {
    HistorySidecar s = nlohmann::json{{"prompt", 12}, {"index", "one"}, {"delivered", "no"}}.get<HistorySidecar>();
    EXPECT_EQ(s.prompt, "");
    EXPECT_EQ(s.index, 0);
    EXPECT_TRUE(s.delivered);
    EXPECT_FALSE(s.cost_usd_estimate.has_value());
    TempDir dir;
    write(dir / "broken.json", "{ not json");
    EXPECT_FALSE(read_history_sidecar(dir / "broken.json").has_value());
    EXPECT_FALSE(read_history_sidecar(dir / "missing.json").has_value());
}

} // namespace
} // namespace pictor::storetest
