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

// A part the host is still encoding goes over unsealed; its "part" frame, once it is whole,
// seals the runner's copy with its size, name and type, and one naming no such part is ignored.
TEST(RunnerProtocol, APartStillBeingEncodedIsSealedLaterByItsPartFrame) {
    ImageRequest r;
    r.images.push_back(apitest::spooled(apitest::png(20, 10), "layer.png"));
    InputImage later;
    auto writing = net::PartSpool::create();
    later.spool = writing;
    r.images.push_back(later);
    std::vector<const std::string *> blobs;
    std::vector<int> fds;
    runner::UnsealedParts host_side;
    nlohmann::json j = runner::request_to_json(r, &blobs, &fds, &host_side);
    EXPECT_EQ(j["images"][0]["sealed"], true);
    EXPECT_EQ(j["images"][1]["sealed"], false);
    ASSERT_EQ(host_side.size(), 1u);
    EXPECT_EQ(host_side[0].first, runner::kFirstPartFd + 1);

    j["images"][0]["fd"] = dup(fds[0]);
    const int runner_fd = dup(fds[1]);
    j["images"][1]["fd"] = runner_fd;
    runner::UnsealedParts runner_side;
    ImageRequest got = runner::request_from_json(j, {}, &runner_side);
    ASSERT_EQ(runner_side.size(), 1u);
    EXPECT_EQ(runner_side[0].first, runner_fd);
    EXPECT_EQ(got.images[1].spool->state(), net::PartSpool::State::writing);
    EXPECT_TRUE(got.images[0].spool->sealed());

    const std::string bytes = apitest::jpeg();
    writing->append(bytes.data(), bytes.size());
    writing->seal("reference-1.jpg", "image/jpeg");
    nlohmann::json frame = runner::part_sealed_to_json(runner_fd, *writing);
    EXPECT_FALSE(runner::seal_from_json({{"type", "part"}, {"fd", runner_fd + 7}, {"size", 1}}, runner_side));
    EXPECT_EQ(got.images[1].spool->state(), net::PartSpool::State::writing);
    ASSERT_TRUE(runner::seal_from_json(frame, runner_side));
    EXPECT_TRUE(got.images[1].spool->sealed());
    EXPECT_EQ(got.images[1].spool->read_all(), bytes);
    EXPECT_EQ(got.images[1].spool->filename(), "reference-1.jpg");
    EXPECT_EQ(got.images[1].spool->content_type(), "image/jpeg");
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
