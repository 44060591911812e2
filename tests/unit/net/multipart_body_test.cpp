// The multipart body pictor sends: the bytes of the form as RFC 7578 lays them out (written out
// by hand below, not by the code under test), the same bytes whether a part was whole when the
// request started or sealed while it went out, a part still being written makes the reader wait,
// and an abandoned one makes it fail.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "net/multipart_body.hpp"
#include "net/part_spool.hpp"

namespace pictor::net {
namespace {

// The whole body, read in small steps (libcurl asks for its buffer's worth at a time).
std::string read_all(MultipartBody &body, size_t step = 7) {
    std::string out;
    std::vector<char> buffer(step);
    for (;;) {
        MultipartBody::Status status;
        const size_t n = body.read(buffer.data(), buffer.size(), &status);
        EXPECT_EQ(status, MultipartBody::Status::ok) << "after " << out.size() << " bytes";
        if (status != MultipartBody::Status::ok || n == 0)
            return out;
        out.append(buffer.data(), n);
    }
}

std::shared_ptr<PartSpool> spool_of(const std::string &bytes) {
    auto spool = PartSpool::create();
    spool->append(bytes.data(), bytes.size());
    return spool;
}

const std::string kBoundary = "------------------------0123456789abcdef";
const std::string kPixels = std::string("\x89PNG\r\n\x1a\n", 8) + std::string(3000, '\x07') + "--" + kBoundary;
const std::string kMore = std::string(70000, 'j') + "\r\n\r\n";

// Written by hand from RFC 7578: what a gateway's form parser reads.
const std::string kExpected =
    "--" + kBoundary + "\r\n" +
    "Content-Disposition: form-data; name=\"prompt\"\r\n\r\n" +
    "a \"red\" umbrella" +
    "\r\n--" + kBoundary + "\r\n" +
    "Content-Disposition: form-data; name=\"image[]\"; filename=\"layer.png\"\r\n" +
    "Content-Type: image/png\r\n\r\n" + kPixels +
    "\r\n--" + kBoundary + "\r\n" +
    "Content-Disposition: form-data; name=\"image[]\"; filename=\"reference-1.jpg\"\r\n" +
    "Content-Type: image/jpeg\r\n\r\n" + kMore +
    "\r\n--" + kBoundary + "--\r\n";

TEST(MultipartBody, IsTheFormLaidOutAsRfc7578SaysWithItsLengthKnown) {
    std::vector<MultipartPart> parts;
    parts.push_back({"prompt", "a \"red\" umbrella", "", ""});
    parts.push_back({"image[]", kPixels, "layer.png", "image/png"});
    MultipartPart spooled{"image[]", "", "reference-1.jpg", "image/jpeg"};
    auto spool = spool_of(kMore);
    spool->seal();
    spooled.spool = spool;
    parts.push_back(spooled);
    MultipartBody body(parts, kBoundary);
    EXPECT_EQ(body.content_type(), "multipart/form-data; boundary=" + kBoundary);
    ASSERT_TRUE(body.size().has_value());
    EXPECT_EQ(*body.size(), kExpected.size());
    EXPECT_EQ(read_all(body), kExpected);
    body.rewind(); // a re-send: the same bytes from the first
    EXPECT_EQ(read_all(body, 65536), kExpected);
}

TEST(MultipartBody, APartSealedWhileTheBodyGoesOutGivesTheSameBytes) {
    std::vector<MultipartPart> parts;
    parts.push_back({"prompt", "a \"red\" umbrella", "", ""});
    parts.push_back({"image[]", kPixels, "layer.png", "image/png"});
    MultipartPart pending{"image[]", "", "", ""}; // named by its spool once encoded
    auto spool = PartSpool::create();
    pending.spool = spool;
    parts.push_back(pending);
    MultipartBody body(parts, kBoundary);
    EXPECT_FALSE(body.size().has_value()) << "the length is not known while a part is being written";
    EXPECT_FALSE(MultipartBody::settled(parts));

    std::string out;
    std::vector<char> buffer(1000);
    MultipartBody::Status status;
    for (;;) {
        const size_t n = body.read(buffer.data(), buffer.size(), &status);
        out.append(buffer.data(), n);
        if (status != MultipartBody::Status::ok || n == 0)
            break;
    }
    // Everything before the unfinished part's header, and then a wait.
    const size_t before = kExpected.find("\r\n--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"image[]\"; "
                                         "filename=\"reference-1.jpg\"");
    ASSERT_NE(before, std::string::npos);
    if (status == MultipartBody::Status::ok) // the last bytes before it came in this read
        EXPECT_EQ(body.read(buffer.data(), buffer.size(), &status), 0u);
    EXPECT_EQ(status, MultipartBody::Status::wait);
    EXPECT_EQ(out, kExpected.substr(0, before));
    EXPECT_FALSE(body.can_go_on());

    spool->append(kMore.data(), 1000); // half-written: still a wait, no byte of it goes out
    EXPECT_EQ(body.read(buffer.data(), buffer.size(), &status), 0u);
    EXPECT_EQ(status, MultipartBody::Status::wait);
    spool->append(kMore.data() + 1000, kMore.size() - 1000);
    spool->seal("reference-1.jpg", "image/jpeg");
    EXPECT_TRUE(body.can_go_on());
    EXPECT_TRUE(MultipartBody::settled(parts));
    out += read_all(body, 4096);
    EXPECT_EQ(out, kExpected) << "the body differs from the one sent with its length";
    ASSERT_TRUE(body.size().has_value());
    EXPECT_EQ(*body.size(), kExpected.size());
}

TEST(MultipartBody, AnAbandonedPartFailsTheBodyWhereItStands) {
    std::vector<MultipartPart> parts;
    parts.push_back({"image[]", kPixels, "layer.png", "image/png"});
    MultipartPart pending{"image[]", "", "", ""};
    auto spool = PartSpool::create();
    pending.spool = spool;
    parts.push_back(pending);
    MultipartBody body(parts, kBoundary);
    std::vector<char> buffer(1 << 16);
    MultipartBody::Status status;
    body.read(buffer.data(), buffer.size(), &status);
    spool->append("partial", 7);
    spool->abandon();
    EXPECT_TRUE(MultipartBody::settled(parts)) << "it will never be whole: nobody should wait for it";
    EXPECT_FALSE(MultipartBody::abandoned(parts).empty());
    EXPECT_EQ(body.read(buffer.data(), buffer.size(), &status), 0u);
    EXPECT_EQ(status, MultipartBody::Status::failed);
    EXPECT_NE(body.error().find("abandoned"), std::string::npos) << body.error();
    EXPECT_FALSE(body.size().has_value());
}

TEST(MultipartBody, QuotesAndLineBreaksInANameCannotEndItsHeader) {
    std::vector<MultipartPart> parts;
    parts.push_back({"image", "x", "my \"best\"\r\nshot.png", "image/png"});
    MultipartBody body(parts, kBoundary);
    const std::string out = read_all(body);
    EXPECT_NE(out.find("filename=\"my %22best%22%0D%0Ashot.png\"\r\n"), std::string::npos) << out;
}

TEST(MultipartBody, RandomBoundariesDiffer) {
    std::vector<MultipartPart> parts;
    EXPECT_NE(MultipartBody(parts).content_type(), MultipartBody(parts).content_type());
}

} // namespace
} // namespace pictor::net
