// An upload part in a spool file: nothing named on disk, the bytes read back exactly (from any
// offset, any number of times), and a descriptor handed over with fewer bytes than announced
// is refused.
#include <gtest/gtest.h>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "error.hpp"
#include "net/part_spool.hpp"

namespace pictor::net {
namespace {

class PartSpoolTest : public ::testing::Test {
protected:
    void SetUp() override {
        char pattern[] = "/tmp/pictor-spool-test-XXXXXX";
        ASSERT_NE(mkdtemp(pattern), nullptr);
        dir_ = pattern;
        const char *old = getenv("TMPDIR");
        old_tmpdir_ = old ? old : "";
        had_tmpdir_ = old != nullptr;
        setenv("TMPDIR", dir_.c_str(), 1);
    }
    void TearDown() override {
        if (had_tmpdir_)
            setenv("TMPDIR", old_tmpdir_.c_str(), 1);
        else
            unsetenv("TMPDIR");
        std::filesystem::remove_all(dir_);
    }
    size_t entries_in_dir() const {
        size_t n = 0;
        for ([[maybe_unused]] const auto &e : std::filesystem::directory_iterator(dir_))
            ++n;
        return n;
    }
    std::string dir_, old_tmpdir_;
    bool had_tmpdir_ = false;
};

std::string pattern_bytes(size_t size) {
    std::string bytes(size, '\0');
    for (size_t i = 0; i < size; ++i)
        bytes[i] = char((i * 131 + i / 977) & 0xff);
    return bytes;
}

TEST_F(PartSpoolTest, HoldsTheBytesInAnUnnamedFileInTmpdir) {
    const std::string bytes = pattern_bytes(3 * 1024 * 1024 + 17);
    auto spool = PartSpool::create();
    spool->append(bytes.data(), 1000);
    spool->append(bytes.data() + 1000, bytes.size() - 1000);
    EXPECT_EQ(spool->size(), bytes.size());
    EXPECT_EQ(entries_in_dir(), 0u) << "a spool file is left named in TMPDIR";
    // In TMPDIR: the file's filesystem is the directory's.
    struct stat file_stat {}, dir_stat {};
    ASSERT_EQ(fstat(spool->fd(), &file_stat), 0);
    ASSERT_EQ(stat(dir_.c_str(), &dir_stat), 0);
    EXPECT_EQ(file_stat.st_dev, dir_stat.st_dev);
    EXPECT_EQ(spool->read_all(), bytes);
    EXPECT_EQ(spool->read_all(), bytes) << "a second read (a retry) gives the same bytes";
    EXPECT_EQ(spool->head(100), bytes.substr(0, 100));
    char middle[64];
    ASSERT_EQ(spool->read_at(2'000'000, middle, sizeof middle), sizeof middle);
    EXPECT_EQ(std::string(middle, sizeof middle), bytes.substr(2'000'000, sizeof middle));
    EXPECT_EQ(spool->read_at(bytes.size() - 5, middle, sizeof middle), 5u) << "only what is there";
    EXPECT_EQ(spool->read_at(bytes.size(), middle, sizeof middle), 0u);
    EXPECT_NE(fcntl(spool->fd(), F_GETFD) & FD_CLOEXEC, 0) << "other children must not inherit it";
}

TEST_F(PartSpoolTest, AnAdoptedDescriptorReadsTheSameBytesAndAShortOneIsRefused) {
    const std::string bytes = pattern_bytes(70000);
    auto spool = PartSpool::create();
    spool->append(bytes.data(), bytes.size());
    auto adopted = PartSpool::adopt(dup(spool->fd()), bytes.size());
    EXPECT_EQ(adopted->read_all(), bytes);
    try {
        PartSpool::adopt(dup(spool->fd()), bytes.size() + 1);
        FAIL() << "a part with fewer bytes than announced was taken";
    } catch (const Error &e) {
        EXPECT_EQ(e.kind(), ErrorKind::io);
    }
}

TEST_F(PartSpoolTest, AClearedSpoolHoldsOnlyWhatIsWrittenAfter) {
    const std::string first = pattern_bytes(200000), second = pattern_bytes(5000);
    auto spool = PartSpool::create();
    spool->append(first.data(), first.size());
    spool->clear(); // an encoding over the route's limit, replaced by the next one
    EXPECT_EQ(spool->size(), 0u);
    spool->append(second.data() + 7, second.size() - 7);
    EXPECT_EQ(spool->read_all(), second.substr(7));
    struct stat file_stat {};
    ASSERT_EQ(fstat(spool->fd(), &file_stat), 0);
    EXPECT_EQ(uint64_t(file_stat.st_size), second.size() - 7) << "the first bytes are left in the file";
    // What the request runner adopts is the file's bytes: none of the first encoding's tail.
    EXPECT_EQ(PartSpool::adopt(dup(spool->fd()), spool->size())->read_all(), second.substr(7));
}

} // namespace
} // namespace pictor::net
