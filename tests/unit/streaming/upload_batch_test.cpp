// References encoded for an upload (commands/upload_image) come out as the same bytes, in the
// same order, as encoding each one alone, and they are in spool files, not in memory.
#include <gtest/gtest.h>

#include <vector>

#include "commands/upload_image.hpp"
#include "image/image_decode.hpp"
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
        // The first part is whole at once; the references are encoded later, on the host's
        // thread, into the spools the request already holds.
        ASSERT_TRUE(batch.pending);
        EXPECT_TRUE(batch.images[0].spool->sealed());
        for (size_t k = 1; k < layers.size(); ++k)
            EXPECT_EQ(batch.images[k].spool->state(), net::PartSpool::State::writing) << "part " << k;
        EXPECT_EQ(batch.report.size(), 1u);
        batch.pending->encode_all();
        EXPECT_TRUE(batch.pending->done());
        batch.report = batch.pending->report();
        ASSERT_EQ(batch.report.size(), layers.size());
        for (size_t k = 0; k < layers.size(); ++k) {
            const EncodedUpload alone = encode_upload(layers[k], profile.max_edit_image_bytes, quality);
            ASSERT_TRUE(batch.images[k].spool) << "part " << k << " is held in memory";
            EXPECT_TRUE(batch.images[k].bytes.empty()) << "part " << k << " is held twice";
            EXPECT_EQ(batch.images[k].spool->read_all(), alone.bytes) << "part " << k;
            EXPECT_EQ(batch.report[k]["bytes"], alone.bytes.size()) << "part " << k;
            EXPECT_EQ(batch.report[k]["width"], layers[k].width) << "part " << k;
            EXPECT_TRUE(batch.images[k].spool->sealed()) << "part " << k;
            EXPECT_EQ(batch.report[k]["name"], batch.images[k].spool->filename()) << "part " << k;
            EXPECT_EQ(batch.images[k].spool->content_type(), image_format_mime_type(alone.format)) << "part " << k;
        }
        EXPECT_EQ(batch.images[0].filename.rfind("layer.", 0), 0u);
        EXPECT_EQ(batch.images[3].spool->filename().rfind("reference-3.", 0), 0u);
    }
}

// The fast PNG goes to the spool band by band as it is made; when it is over the route's limit
// the spool is emptied and the next encoding written in its place: the part holds exactly the
// encoding that fits, the same bytes as encoding it in memory.
TEST(UploadBatch, ASpooledEncodingOverTheLimitIsReplacedByTheOneThatFits) {
    const RgbaImage photo = test::photo_like(640, 400);
    const uint64_t png_size = encode_upload(photo, 0, UploadQuality::lossless).bytes.size();
    for (const uint64_t limit : {png_size, png_size - 1, png_size / 4, png_size / 40}) {
        GatewayProfile profile;
        profile.max_edit_image_bytes = limit;
        plugin::UploadBatch batch = plugin::encode_uploads(
            photo, "layer", {}, 1, [&](size_t) { return photo; }, [](size_t) { return "reference"; }, profile,
            UploadQuality::lossless);
        ASSERT_TRUE(batch.pending);
        batch.pending->encode_all();
        batch.report = batch.pending->report();
        const EncodedUpload alone = encode_upload(photo, limit, UploadQuality::lossless);
        for (size_t k = 0; k < 2; ++k) {
            const std::string spooled = batch.images[k].spool->read_all();
            EXPECT_TRUE(spooled == alone.bytes) << "limit " << limit << " part " << k << ": " << spooled.size()
                                                << " bytes spooled, " << alone.bytes.size() << " encoded alone";
            EXPECT_LE(spooled.size(), limit) << "part " << k;
            EXPECT_EQ(batch.report[k]["bytes"], spooled.size());
            EXPECT_EQ(batch.report[k]["encoding"], alone.encoding);
        }
        if (limit == png_size) { // the fast PNG itself: libpng reads back the very pixels
            EXPECT_EQ(alone.encoding, "png fast");
            const std::string png = batch.images[1].spool->read_all();
            EXPECT_EQ(decode_image(reinterpret_cast<const uint8_t *>(png.data()), png.size()).pixels, photo.pixels);
        } else {
            EXPECT_NE(alone.encoding, "png fast") << "limit " << limit;
        }
        if (limit == png_size / 40)
            EXPECT_LT(alone.width, photo.width) << "only a smaller image fits";
    }
}

} // namespace
} // namespace pictor
