// The request the host hands pictor-request-runner: parts in memory travel as blobs, parts in
// spool files as descriptors the runner inherits (fds 3, 4, ... in the order the JSON names
// them), and the runner's request reads the same bytes from them.
#include <gtest/gtest.h>

#include <unistd.h>

#include "api/request_runner_protocol.hpp"
#include "api_test_support.hpp"
#include "error.hpp"

namespace pictor {
namespace {

TEST(RunnerProtocol, SpooledPartsGoAsInheritedDescriptorsAndInMemoryOnesAsBlobs) {
    ImageRequest r;
    r.prompt = "p";
    r.images.push_back(apitest::spooled(apitest::png(20, 10), "layer.png"));
    r.images.push_back({apitest::jpeg(), "given.jpg"});
    r.images.push_back(apitest::spooled(apitest::png(30, 10), "reference-2.png"));
    r.has_mask = true;
    r.mask = apitest::spooled(apitest::mask_png(20, 10), "mask.png");
    std::vector<const std::string *> blobs;
    std::vector<int> fds;
    nlohmann::json j = runner::request_to_json(r, &blobs, &fds);
    ASSERT_EQ(blobs.size(), 1u) << "only the part held in memory is copied";
    EXPECT_EQ(*blobs[0], r.images[1].bytes);
    ASSERT_EQ(fds.size(), 3u);
    EXPECT_EQ(fds[0], r.images[0].spool->fd());
    EXPECT_EQ(fds[1], r.images[2].spool->fd());
    EXPECT_EQ(fds[2], r.mask.spool->fd());
    EXPECT_EQ(j["images"][0]["fd"], runner::kFirstPartFd);
    EXPECT_EQ(j["images"][2]["fd"], runner::kFirstPartFd + 1);
    EXPECT_EQ(j["mask"]["fd"], runner::kFirstPartFd + 2);
    EXPECT_EQ(j["images"][2]["size"], r.images[2].spool->size());

    // The runner's side, with this process's copies of the descriptors it would inherit.
    j["images"][0]["fd"] = dup(fds[0]);
    j["images"][2]["fd"] = dup(fds[1]);
    j["mask"]["fd"] = dup(fds[2]);
    ImageRequest got = runner::request_from_json(j, {*blobs[0]});
    ASSERT_EQ(got.images.size(), 3u);
    EXPECT_EQ(got.images[0].spool->read_all(), r.images[0].spool->read_all());
    EXPECT_EQ(got.images[0].filename, "layer.png");
    EXPECT_EQ(got.images[1].bytes, r.images[1].bytes);
    EXPECT_FALSE(got.images[1].spool);
    EXPECT_EQ(got.images[2].spool->read_all(), r.images[2].spool->read_all());
    ASSERT_TRUE(got.has_mask);
    EXPECT_EQ(got.mask.filename, "mask.png");
    EXPECT_EQ(got.mask.spool->read_all(), r.mask.spool->read_all());
}

TEST(RunnerProtocol, ADescriptorWithFewerBytesThanAnnouncedIsRefused) {
    ImageRequest r;
    r.images.push_back(apitest::spooled(apitest::png(), "layer.png"));
    std::vector<const std::string *> blobs;
    std::vector<int> fds;
    nlohmann::json j = runner::request_to_json(r, &blobs, &fds);
    j["images"][0]["fd"] = dup(fds[0]);
    j["images"][0]["size"] = r.images[0].spool->size() + 1;
    try {
        runner::request_from_json(j, {});
        FAIL() << "a short part was taken";
    } catch (const Error &e) {
        EXPECT_EQ(e.kind(), ErrorKind::io);
    }
}

} // namespace
} // namespace pictor
