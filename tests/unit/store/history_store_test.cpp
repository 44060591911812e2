// HistoryStore::save: the image and its sidecar, private, with distinct ids.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <fstream>
#include <regex>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "store/history_store.hpp"
#include "store_test_support.hpp"

namespace pictor {
namespace {

using storetest::catch_error;
using storetest::list_dir;
using storetest::mode_of;
using storetest::TempDir;

std::string slurp(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

class HistoryStoreTest : public ::testing::Test {
protected:
    void SetUp() override { old_umask_ = umask(022); }
    void TearDown() override { umask(old_umask_); }
    mode_t old_umask_ = 0;
};

TEST_F(HistoryStoreTest, SavesImageAndSidecar) {
    TempDir dir;
    std::string folder = dir / "history";
    HistoryStore store(folder);
    EXPECT_EQ(store.directory(), folder);
    std::string image("\x89PNG\r\n\x1a\n\0\0 fake image", 20);
    nlohmann::json metadata{{"prompt", "a red fox"}, {"profile", "openai"}, {"size", "1024x1024"},
                            {"usage", {{"total_tokens", 4210}}}};
    HistoryEntry entry = store.save(image, ".png", metadata.get<HistorySidecar>());

    EXPECT_FALSE(entry.id.empty());
    EXPECT_EQ(entry.image_path, folder + "/" + entry.id + ".png");
    EXPECT_EQ(entry.sidecar_path, folder + "/" + entry.id + ".json");
    EXPECT_EQ(slurp(entry.image_path), image);

    nlohmann::json sidecar = nlohmann::json::parse(slurp(entry.sidecar_path));
    EXPECT_EQ(sidecar["id"], entry.id);
    EXPECT_EQ(sidecar["image_file"], entry.id + ".png");
    ASSERT_TRUE(sidecar["time"].is_string());
    EXPECT_TRUE(std::regex_match(sidecar["time"].get<std::string>(),
                                 std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")))
        << sidecar["time"];
    EXPECT_EQ(sidecar["prompt"], "a red fox");
    EXPECT_EQ(sidecar["profile"], "openai");
    EXPECT_EQ(sidecar["size"], "1024x1024");
    EXPECT_EQ(sidecar["usage"]["total_tokens"], 4210);

    EXPECT_EQ(list_dir(folder), (std::vector<std::string>{entry.id + ".json", entry.id + ".png"}));
}

TEST_F(HistoryStoreTest, IdCarriesTimeAndIndexAndMatchesTheSidecarTime) {
    TempDir dir;
    HistoryStore store(dir / "h");
    HistoryEntry entry = store.save("x", ".webp", nlohmann::json{{"index", 3}}.get<HistorySidecar>());
    std::smatch m;
    ASSERT_TRUE(std::regex_match(entry.id, m, std::regex(R"((\d{8})-(\d{6})-[0-9a-z]+-3)"))) << entry.id;
    std::string time = nlohmann::json::parse(slurp(entry.sidecar_path))["time"];
    // 20261122-153000 <-> 2026-11-22T15:30:00Z
    std::string expected = m[1].str().substr(0, 4) + "-" + m[1].str().substr(4, 2) + "-" + m[1].str().substr(6, 2) +
                           "T" + m[2].str().substr(0, 2) + ":" + m[2].str().substr(2, 2) + ":" +
                           m[2].str().substr(4, 2) + "Z";
    EXPECT_EQ(time, expected);
    EXPECT_EQ(entry.image_path.substr(entry.image_path.size() - 5), ".webp");
}

TEST_F(HistoryStoreTest, FilesArePrivateAndFolderIs0700) {
    TempDir dir;
    std::string folder = dir / "data/pictor/history";
    HistoryEntry entry = HistoryStore(folder).save("img", ".png", HistorySidecar{});
    EXPECT_EQ(mode_of(folder), 0700u);
    EXPECT_EQ(mode_of(entry.image_path), 0600u);
    EXPECT_EQ(mode_of(entry.sidecar_path), 0600u);
}

TEST_F(HistoryStoreTest, QuickSuccessiveSavesGetDistinctIds) {
    TempDir dir;
    HistoryStore store(dir / "h");
    std::set<std::string> ids;
    for (int i = 0; i < 40; ++i) {
        HistoryEntry entry = store.save("img" + std::to_string(i), ".png", nlohmann::json{{"n", i}}.get<HistorySidecar>());
        EXPECT_TRUE(ids.insert(entry.id).second) << "duplicate id " << entry.id;
    }
    EXPECT_EQ(list_dir(dir / "h").size(), 80u) << "no save overwrote another";
    // Each image still holds its own bytes.
    for (const auto &id : ids) {
        nlohmann::json sidecar = nlohmann::json::parse(slurp(dir / ("h/" + id + ".json")));
        EXPECT_EQ(slurp(dir / ("h/" + id + ".png")), "img" + std::to_string(sidecar["n"].get<int>()));
    }
}

TEST_F(HistoryStoreTest, MetadataIdFieldsAreOverwrittenByTheStore) {
    TempDir dir;
    HistoryEntry entry =
        HistoryStore(dir / "h").save("img", ".png", nlohmann::json{{"id", "forged"}, {"image_file", "../../etc/x"}, {"index", 1}}.get<HistorySidecar>());
    nlohmann::json sidecar = nlohmann::json::parse(slurp(entry.sidecar_path));
    EXPECT_EQ(sidecar["id"], entry.id);
    EXPECT_EQ(sidecar["image_file"], entry.id + ".png");
}

TEST_F(HistoryStoreTest, UnwritableLocationIsIo) {
    TempDir dir;
    std::ofstream(dir / "file") << "x";
    Error e = catch_error([&] { HistoryStore(dir / "file/history").save("img", ".png", HistorySidecar{}); });
    EXPECT_KIND(e, ErrorKind::io);
}

} // namespace
} // namespace pictor
