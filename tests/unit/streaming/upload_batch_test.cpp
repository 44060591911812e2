// References encoded for an upload (commands/upload_image) come out as the same bytes, in the
// same order, as encoding each one alone, and they are in spool files, not in memory.
#include <gtest/gtest.h>

#include <vector>

#include "commands/upload_image.hpp"
#include "image/upload_encoding.hpp"
#include "image_test_support.hpp"

namespace pictor {
namespace {

TEST(UploadBatch, SpooledPartsHoldTheBytesOfEachEncodingInOrder) {
    std::vector<RgbaImage> layers;
    for (uint32_t k = 0; k < 7; ++k)
        layers.push_back(test::make_pattern(300 + 17 * k, 200 + 5 * k, k % 2 == 0));
    GatewayProfile profile;
    for (UploadQuality quality : {UploadQuality::lossless, UploadQuality::fast}) {
        plugin::UploadBatch batch = plugin::encode_uploads(
            layers[0], "layer", {}, layers.size() - 1, [&](size_t k) { return layers[k + 1]; },
            [](size_t k) { return "reference-" + std::to_string(k + 1); }, profile, quality);
        ASSERT_EQ(batch.images.size(), layers.size());
        ASSERT_EQ(batch.report.size(), layers.size());
        for (size_t k = 0; k < layers.size(); ++k) {
            const EncodedUpload alone = encode_upload(layers[k], profile.max_edit_image_bytes, quality);
            ASSERT_TRUE(batch.images[k].spool) << "part " << k << " is held in memory";
            EXPECT_TRUE(batch.images[k].bytes.empty()) << "part " << k << " is held twice";
            EXPECT_EQ(batch.images[k].spool->read_all(), alone.bytes) << "part " << k;
            EXPECT_EQ(batch.report[k]["bytes"], alone.bytes.size()) << "part " << k;
            EXPECT_EQ(batch.report[k]["width"], layers[k].width) << "part " << k;
        }
        EXPECT_EQ(batch.images[0].filename.rfind("layer.", 0), 0u);
        EXPECT_EQ(batch.images[3].filename.rfind("reference-3.", 0), 0u);
    }
}

} // namespace
} // namespace pictor
