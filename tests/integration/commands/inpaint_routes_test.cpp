// inpaint_selection on routes with fixed sizes or none: what the route accepts is what is sent.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "plugin_fixture.hpp"

namespace pictor_test {
namespace {

using nlohmann::json;

const std::set<std::string> vip_sizes = {
    "1280x1280", "2048x2048", "2880x2880", "848x1280",  "1360x2048", "2336x3520", "1280x848",  "2048x1360",
    "3520x2336", "960x1280",  "1536x2048", "2480x3312", "1280x960",  "2048x1536", "3312x2480", "1024x1280",
    "1632x2048", "2560x3216", "1280x1024", "2048x1632", "3216x2560", "720x1280",  "1152x2048", "2160x3840",
    "1280x720",  "2048x1152", "3840x2160", "1280x544",  "2048x864",  "3840x1632"};

std::string size_of(const json &file) {
    return std::to_string(file["width"].get<int>()) + "x" + std::to_string(file["height"].get<int>());
}

class InpaintRoute : public PluginTest {
protected:
    // Inpaints an ellipse on a 900x700 canvas through `profile`; returns the mock's request.
    json inpaint(const std::string &profile) {
        MemoryHost host(900, 700);
        const MemoryLayer &source = host.add_pattern_layer(1, 900, 700, 0, 0, "Background");
        host.select_ellipse(450, 350, 90, 50, 5);
        auto c = client(profile);
        request_.quality = nullptr; // the vip and reverse routes refuse the field
        pictor_command_options options = pictor::make_command_options(PICTOR_COMMAND_INPAINT_SELECTION, request_, 1);
        pictor::job_ptr job;
        EXPECT_EQ(run(c.get(), host, options, &job), PICTOR_OK) << pictor_client_last_error(c.get())->message;
        EXPECT_EQ(host.added.size(), 1u) << host.all_messages();
        if (host.added.empty())
            return json::object();
        const AddedLayer &layer = host.added[0];
        result_ = result_json(job);
        EXPECT_EQ(result_["crop"]["width"], layer.width);
        EXPECT_EQ(result_["crop"]["height"], layer.height);
        EXPECT_EQ(changed_outside_mask(layer, layer_on_canvas(source, 900, 700), 900), 0u);
        EXPECT_EQ(not_model_inside_mask(layer), 0u);
        json sent = only_request();
        auto images = files_named(sent, "image");
        auto more = files_named(sent, "image[]");
        images.insert(images.end(), more.begin(), more.end());
        auto masks = files_named(sent, "mask");
        EXPECT_EQ(images.size(), 1u);
        EXPECT_EQ(masks.size(), 1u);
        if (!images.empty() && !masks.empty()) {
            image_size_ = size_of(images[0]);
            EXPECT_EQ(size_of(masks[0]), image_size_) << "the mask is the size of the image sent";
        }
        return sent;
    }

    json result_;
    std::string image_size_;
};

TEST_F(InpaintRoute, VipRouteSendsOneOfItsThirtySizes) {
    json sent = inpaint("apiyi-vip");
    ASSERT_TRUE(sent["fields"].contains("size")) << sent["fields"].dump();
    std::string size = sent["fields"]["size"];
    EXPECT_TRUE(vip_sizes.count(size)) << size;
    EXPECT_EQ(image_size_, size) << "the crop is resampled to the size asked";
    EXPECT_EQ(result_["request_size"], size);
}

TEST_F(InpaintRoute, RuoliServesNoEditsAndNoLayerIsAdded) {
    // RuoLi documents /v1/images/generations only: the inpaint is refused before sending.
    MemoryHost host(900, 700);
    host.add_pattern_layer(1, 900, 700, 0, 0, "Background");
    host.select_ellipse(450, 350, 90, 50, 5);
    auto c = client("ruoli");
    request_.quality = nullptr;
    pictor::job_ptr job;
    EXPECT_EQ(run(c.get(), host, pictor::make_command_options(PICTOR_COMMAND_INPAINT_SELECTION, request_, 1), &job),
              PICTOR_ERR_INVALID_REQUEST);
    EXPECT_TRUE(host.added.empty()) << host.all_messages();
    EXPECT_TRUE(mock().api_requests().empty()) << "the edit reached an endpoint RuoLi does not serve";
}

TEST_F(InpaintRoute, LaozhangSendsNoSizeField) {
    json sent = inpaint("laozhang");
    EXPECT_FALSE(sent["fields"].contains("size")) << sent["fields"].dump();
    // Sent at the crop's own pixels; the answer (whatever size the route chose) is fitted back.
    EXPECT_EQ(image_size_, std::to_string(result_["crop"]["width"].get<int>()) + "x" +
                               std::to_string(result_["crop"]["height"].get<int>()));
}

} // namespace
} // namespace pictor_test
