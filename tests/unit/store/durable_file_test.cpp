// write_file_durably / make_directories / read_whole_file.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "store/durable_file.hpp"
#include "store_test_support.hpp"

namespace pictor {
namespace {

using storetest::catch_error;
using storetest::is_dir;
using storetest::list_dir;
using storetest::mode_of;
using storetest::TempDir;

std::string binary_bytes() {
    std::string bytes;
    for (int i = 0; i < 70000; ++i)
        bytes += char(i * 31 + (i >> 8));
    bytes[10] = '\0';
    return bytes;
}

std::string slurp(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// A fixed umask, so the modes asked for are the modes that appear.
class DurableFile : public ::testing::Test {
protected:
    void SetUp() override { old_umask_ = umask(022); }
    void TearDown() override { umask(old_umask_); }
    mode_t old_umask_ = 0;
};

TEST_F(DurableFile, WritesExactlyTheBytes) {
    TempDir dir;
    std::string path = dir / "out.bin";
    std::string bytes = binary_bytes();
    write_file_durably(path, bytes);
    EXPECT_EQ(slurp(path), bytes);
    EXPECT_EQ(read_whole_file(path), bytes);
}

TEST_F(DurableFile, WritesAnEmptyFile) {
    TempDir dir;
    write_file_durably(dir / "empty", "");
    EXPECT_EQ(slurp(dir / "empty"), "");
    EXPECT_EQ(list_dir(dir.path()), std::vector<std::string>{"empty"});
}

TEST_F(DurableFile, UsesTheGivenMode) {
    TempDir dir;
    write_file_durably(dir / "private", "secret", 0600);
    EXPECT_EQ(mode_of(dir / "private"), 0600u);
    write_file_durably(dir / "public", "hello", 0644);
    EXPECT_EQ(mode_of(dir / "public"), 0644u);
    write_file_durably(dir / "default", "hello");
    EXPECT_EQ(mode_of(dir / "default"), 0644u);
}

TEST_F(DurableFile, LeavesNoTempFilesBehind) {
    TempDir dir;
    for (int i = 0; i < 5; ++i)
        write_file_durably(dir / "same", "version " + std::to_string(i));
    write_file_durably(dir / "other", "x");
    EXPECT_EQ(list_dir(dir.path()), (std::vector<std::string>{"other", "same"}));
    EXPECT_EQ(slurp(dir / "same"), "version 4");
}

TEST_F(DurableFile, ReplacesAnExistingFileAtomically) {
    TempDir dir;
    std::string path = dir / "history.json";
    write_file_durably(path, "old content, longer than the new one", 0644);
    // A second name for the old file: an in-place rewrite would change what it shows,
    // a rename-into-place leaves it holding the old bytes.
    ASSERT_EQ(link(path.c_str(), (dir / "old-link").c_str()), 0);
    struct stat before {};
    ASSERT_EQ(stat(path.c_str(), &before), 0);

    write_file_durably(path, "new", 0600);

    EXPECT_EQ(slurp(path), "new");
    EXPECT_EQ(slurp(dir / "old-link"), "old content, longer than the new one");
    struct stat after {};
    ASSERT_EQ(stat(path.c_str(), &after), 0);
    EXPECT_NE(before.st_ino, after.st_ino) << "the new file should be renamed into place";
    EXPECT_EQ(mode_of(path), 0600u) << "the replacement carries the mode asked for";
    EXPECT_EQ(list_dir(dir.path()), (std::vector<std::string>{"history.json", "old-link"}));
}

TEST_F(DurableFile, MissingFolderIsAnIoErrorNamingThePath) {
    TempDir dir;
    std::string path = dir / "no/such/folder/out.png";
    Error e = catch_error([&] { write_file_durably(path, "bytes"); });
    EXPECT_KIND(e, ErrorKind::io);
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    EXPECT_TRUE(list_dir(dir.path()).empty());
}

TEST_F(DurableFile, ReadOnlyFolderIsAnIoErrorNamingThePath) {
    if (geteuid() == 0)
        GTEST_SKIP() << "root bypasses folder permissions";
    TempDir dir;
    std::string locked = dir / "locked";
    ASSERT_EQ(mkdir(locked.c_str(), 0500), 0);
    std::string path = locked + "/out.png";
    Error e = catch_error([&] { write_file_durably(path, "bytes"); });
    EXPECT_KIND(e, ErrorKind::io);
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    EXPECT_TRUE(list_dir(locked).empty());
}

TEST_F(DurableFile, TargetThatIsAFolderIsAnIoErrorAndLeavesNoTempFile) {
    // Fails at the rename, after the temp file was written: the temp file must be removed.
    TempDir dir;
    std::string path = dir / "a-folder";
    ASSERT_EQ(mkdir(path.c_str(), 0755), 0);
    Error e = catch_error([&] { write_file_durably(path, "bytes"); });
    EXPECT_KIND(e, ErrorKind::io);
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    EXPECT_EQ(list_dir(dir.path()), std::vector<std::string>{"a-folder"});
    EXPECT_TRUE(list_dir(path).empty());
}

TEST_F(DurableFile, ParentThatIsAFileIsAnIoError) {
    TempDir dir;
    write_file_durably(dir / "plain", "x");
    Error e = catch_error([&] { write_file_durably(dir / "plain/child", "y"); });
    EXPECT_KIND(e, ErrorKind::io);
    EXPECT_NE(std::string(e.what()).find(dir / "plain/child"), std::string::npos) << e.what();
}

TEST_F(DurableFile, MakeDirectoriesCreatesNestedFolders) {
    TempDir dir;
    std::string nested = dir / "a/b/c/d";
    make_directories(nested, 0700);
    EXPECT_TRUE(is_dir(dir / "a"));
    EXPECT_TRUE(is_dir(nested));
    EXPECT_EQ(mode_of(nested), 0700u);
    // Again: already there is fine.
    EXPECT_NO_THROW(make_directories(nested, 0700));
    // Trailing and doubled slashes.
    EXPECT_NO_THROW(make_directories(dir / "x//y/", 0755));
    EXPECT_TRUE(is_dir(dir / "x/y"));
    // A relative path resolves against the working folder.
    char cwd[4096];
    ASSERT_NE(getcwd(cwd, sizeof cwd), nullptr);
    ASSERT_EQ(chdir(dir.path().c_str()), 0);
    EXPECT_NO_THROW(make_directories("rel/one", 0755));
    ASSERT_EQ(chdir(cwd), 0);
    EXPECT_TRUE(is_dir(dir / "rel/one"));
}

TEST_F(DurableFile, MakeDirectoriesThroughAFileFails) {
    TempDir dir;
    write_file_durably(dir / "file", "x");
    Error e = catch_error([&] { make_directories(dir / "file/sub"); });
    EXPECT_KIND(e, ErrorKind::io);
    EXPECT_NE(std::string(e.what()).find(dir / "file"), std::string::npos) << e.what();
}

TEST_F(DurableFile, ReadWholeFileOfAMissingFileIsIo) {
    TempDir dir;
    Error e = catch_error([&] { read_whole_file(dir / "nope.json"); });
    EXPECT_KIND(e, ErrorKind::io);
    EXPECT_NE(std::string(e.what()).find(dir / "nope.json"), std::string::npos) << e.what();
}

} // namespace
} // namespace pictor
