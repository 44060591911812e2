// Reading the history back: every entry (orphan images too), oldest first; ids never become
// paths outside the folder.
#include <fstream>

#include "store/history_catalog.hpp"
#include "store/history_store.hpp"
#include "store_test_support.hpp"

namespace pictor::storetest {
namespace {

void write(const std::string &path, const std::string &text) { std::ofstream(path, std::ios::binary) << text; }

TEST(HistoryCatalog, ListsSavedEntriesWithTheirSidecarFields) {
    TempDir dir;
    HistoryStore store(dir / "h");
    HistoryEntry saved = store.save("PNGBYTES", ".png",
                                    nlohmann::json{{"prompt", "a cat"}, {"profile", "openai"}, {"size", "1024x1024"},
                                                   {"index", 1}}.get<HistorySidecar>());
    std::vector<HistoryRecord> list = list_history(dir / "h");
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].id, saved.id);
    EXPECT_EQ(list[0].image_path, saved.image_path);
    EXPECT_EQ(list[0].sidecar_path, saved.sidecar_path);
    EXPECT_EQ(list[0].sidecar.prompt, "a cat");
    EXPECT_EQ(list[0].sidecar.profile, "openai");
    EXPECT_EQ(list[0].sidecar.size, "1024x1024");
    EXPECT_FALSE(list[0].sidecar.time.empty());
}

TEST(HistoryCatalog, OrphanImagesAreListedAndTempFilesAndStrangersAreNot) {
    TempDir dir;
    write(dir / "20250101-000000-abcdef-1.png", "orphan");           // killed before its sidecar
    write(dir / "20250101-000001-abcdef-1.png.tmp-12-34", "partial"); // killed mid-write
    write(dir / "notes with spaces.txt", "not ours");
    write(dir / "20240101-000000-zzzzzz-1.json", "{ broken json");   // broken sidecar, no image
    std::vector<HistoryRecord> list = list_history(dir.path());
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0].id, "20240101-000000-zzzzzz-1") << "oldest first, by the time in the id";
    EXPECT_TRUE(list[0].image_path.empty());
    EXPECT_EQ(list[1].id, "20250101-000000-abcdef-1");
    EXPECT_TRUE(list[1].sidecar_path.empty());
    EXPECT_EQ(list[1].image_path, dir / "20250101-000000-abcdef-1.png");
}

TEST(HistoryCatalog, FindsByIdOrUniquePrefixAndRefusesPathsAndAmbiguity) {
    TempDir dir;
    write(dir / "20250101-000000-abcdef-1.png", "a");
    write(dir / "20250101-000000-abcdef-2.png", "b");
    EXPECT_EQ(find_history_entry(dir.path(), "20250101-000000-abcdef-2").image_path, dir / "20250101-000000-abcdef-2.png");
    Error ambiguous = catch_error([&] { find_history_entry(dir.path(), "20250101"); });
    EXPECT_EQ(ambiguous.kind(), ErrorKind::invalid_request);
    EXPECT_NE(std::string(ambiguous.what()).find("matches 2"), std::string::npos) << ambiguous.what();
    EXPECT_EQ(catch_error([&] { find_history_entry(dir.path(), "../etc/passwd"); }).kind(), ErrorKind::invalid_request);
    EXPECT_EQ(catch_error([&] { find_history_entry(dir.path(), "2026"); }).kind(), ErrorKind::invalid_request);
}

TEST(HistoryCatalog, AMissingFolderIsAnEmptyHistory) {
    TempDir dir;
    EXPECT_TRUE(list_history(dir / "never-made").empty());
}

} // namespace
} // namespace pictor::storetest
