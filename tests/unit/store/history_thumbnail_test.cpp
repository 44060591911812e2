// History browsers: search, delete, and thumbnails made once and kept beside the history, so a
// browser never decodes the full-size images again.
#include <sys/stat.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "image/image_decode.hpp"
#include "image/image_encode.hpp"
#include "store/durable_file.hpp"
#include "store/history_catalog.hpp"
#include "store/history_thumbnail.hpp"
#include "store_test_support.hpp"

namespace pictor::storetest {
namespace {

void write(const std::string &path, const std::string &bytes) { std::ofstream(path, std::ios::binary) << bytes; }

std::string read(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Four flat quadrants: red, green / blue, white; the colours a thumbnail must keep inside them.
const uint8_t kQuadrant[4][4] = {{255, 0, 0, 255}, {0, 255, 0, 255}, {0, 0, 255, 255}, {255, 255, 255, 255}};

RgbaImage quadrants(uint32_t width, uint32_t height) {
    RgbaImage image{width, height, std::vector<uint8_t>(size_t(width) * height * 4)};
    for (uint32_t y = 0; y < height; ++y)
        for (uint32_t x = 0; x < width; ++x) {
            const uint8_t *c = kQuadrant[(y >= height / 2 ? 2 : 0) + (x >= width / 2 ? 1 : 0)];
            std::copy(c, c + 4, &image.pixels[(size_t(y) * width + x) * 4]);
        }
    return image;
}

std::string png_of(const RgbaImage &image) {
    std::vector<uint8_t> bytes = encode_image(image, ImageFormat::png);
    return std::string(bytes.begin(), bytes.end());
}

// An entry as history_store writes it: the image, then its sidecar.
void add_entry(const std::string &dir, const std::string &id, const std::string &prompt, const std::string &image) {
    make_directories(dir, 0700);
    write(dir + "/" + id + ".png", image);
    nlohmann::json sidecar = {{"id", id}, {"image_file", id + ".png"}, {"prompt", prompt},
                              {"time", id.substr(0, 4) + "-" + id.substr(4, 2) + "-" + id.substr(6, 2) + "T" +
                                           id.substr(9, 2) + ":" + id.substr(11, 2) + ":" + id.substr(13, 2) + "Z"}};
    write(dir + "/" + id + ".json", sidecar.dump());
}

struct stat stat_of(const std::string &path) {
    struct stat info {};
    EXPECT_EQ(stat(path.c_str(), &info), 0) << path;
    return info;
}

std::vector<std::string> ids(const std::vector<HistoryRecord> &records) {
    std::vector<std::string> out;
    for (const auto &r : records) out.push_back(r.id);
    return out;
}

TEST(HistorySearch, NewestFirstByPromptInAnyCaseOrIdStartWithALimit) {
    TempDir dir;
    std::string png = png_of(quadrants(8, 8));
    add_entry(dir.path(), "20260101-100000-aaaaaa-1", "A Red Umbrella in the rain", png);
    add_entry(dir.path(), "20260102-100000-bbbbbb-1", "a green lighthouse", png);
    add_entry(dir.path(), "20260103-100000-cccccc-1", "another red UMBRELLA", png);
    EXPECT_EQ(ids(search_history(dir.path(), "umbrella", 0)),
              (std::vector<std::string>{"20260103-100000-cccccc-1", "20260101-100000-aaaaaa-1"}));
    EXPECT_EQ(ids(search_history(dir.path(), "", 2)),
              (std::vector<std::string>{"20260103-100000-cccccc-1", "20260102-100000-bbbbbb-1"}));
    EXPECT_EQ(ids(search_history(dir.path(), "20260102", 0)), (std::vector<std::string>{"20260102-100000-bbbbbb-1"}));
    EXPECT_TRUE(search_history(dir.path(), "submarine", 0).empty());
}

TEST(HistoryDelete, RemovesTheImageItsThumbnailAndItsSidecarOnly) {
    TempDir dir;
    std::string png = png_of(quadrants(300, 200));
    add_entry(dir.path(), "20260101-100000-aaaaaa-1", "keep me", png);
    add_entry(dir.path(), "20260102-100000-bbbbbb-1", "delete me", png);
    std::string thumb = history_thumbnail(dir.path(), find_history_entry(dir.path(), "20260102"));
    ASSERT_TRUE(stat_of(thumb).st_size > 0);
    HistoryRecord removed = delete_history_entry(dir.path(), "20260102");
    EXPECT_EQ(removed.id, "20260102-100000-bbbbbb-1");
    EXPECT_EQ(list_dir(dir.path()), (std::vector<std::string>{"20260101-100000-aaaaaa-1.json",
                                                              "20260101-100000-aaaaaa-1.png", "thumbnails"}));
    EXPECT_TRUE(list_dir(dir / "thumbnails").empty());
    EXPECT_EQ(catch_error([&] { delete_history_entry(dir.path(), "20260102"); }).kind(), ErrorKind::invalid_request);
}

TEST(HistoryThumbnail, A4kImageBecomesA128PxPngThatKeepsItsColours) {
    TempDir dir;
    add_entry(dir.path(), "20260101-100000-aaaaaa-1", "big", png_of(quadrants(3840, 2160)));
    std::string path = history_thumbnail(dir.path(), find_history_entry(dir.path(), "20260101"));
    EXPECT_EQ(path, dir / "thumbnails/20260101-100000-aaaaaa-1.png");
    std::string bytes = read(path);
    RgbaImage thumb = decode_image(reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size());
    EXPECT_EQ(thumb.width, 128u);
    EXPECT_EQ(thumb.height, 72u); // 2160 * 128 / 3840
    // The centre of each quadrant, away from the blurred seams.
    const uint32_t at[4][2] = {{32, 18}, {96, 18}, {32, 54}, {96, 54}};
    for (int q = 0; q < 4; ++q) {
        const uint8_t *p = &thumb.pixels[(size_t(at[q][1]) * thumb.width + at[q][0]) * 4];
        EXPECT_EQ(std::vector<uint8_t>(p, p + 4), std::vector<uint8_t>(kQuadrant[q], kQuadrant[q] + 4)) << "quadrant " << q;
    }
    EXPECT_EQ(mode_of(path), 0600u);
    EXPECT_EQ(list_history(dir.path()).size(), 1u) << "the thumbnails folder is not an entry";
}

TEST(HistoryThumbnail, IsMadeOnceThenReusedWithoutReadingTheImageAgain) {
    TempDir dir;
    std::string id = "20260101-100000-aaaaaa-1";
    add_entry(dir.path(), id, "big", png_of(quadrants(3840, 2160)));
    std::string path = history_thumbnail(dir.path(), find_history_entry(dir.path(), id));
    struct stat first = stat_of(path);
    std::string first_bytes = read(path);
    // Were the image decoded again, this would now fail: the file is no image any more.
    write(dir / (id + ".png"), "not an image: a second decode would throw");
    std::string again;
    ASSERT_NO_THROW(again = history_thumbnail(dir.path(), find_history_entry(dir.path(), id)));
    EXPECT_EQ(again, path);
    struct stat second = stat_of(path);
    EXPECT_EQ(second.st_ino, first.st_ino) << "the thumbnail was written again";
    EXPECT_EQ(second.st_mtim.tv_sec, first.st_mtim.tv_sec);
    EXPECT_EQ(second.st_mtim.tv_nsec, first.st_mtim.tv_nsec);
    EXPECT_EQ(read(path), first_bytes);
}

TEST(HistoryThumbnail, ASmallImageKeepsItsSizeAndPixelsAndALostThumbnailIsMadeAgain) {
    TempDir dir;
    RgbaImage small = quadrants(100, 50);
    add_entry(dir.path(), "20260101-100000-aaaaaa-1", "small", png_of(small));
    HistoryRecord record = find_history_entry(dir.path(), "20260101");
    std::string path = history_thumbnail(dir.path(), record);
    std::string bytes = read(path);
    RgbaImage thumb = decode_image(reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size());
    EXPECT_EQ(thumb.width, 100u);
    EXPECT_EQ(thumb.height, 50u);
    EXPECT_TRUE(thumb.pixels == small.pixels);
    ASSERT_EQ(std::remove(path.c_str()), 0);
    EXPECT_EQ(history_thumbnail(dir.path(), record), path);
    EXPECT_EQ(read(path), bytes);
}

TEST(HistoryThumbnail, AnEntryWithoutImageOrWithABrokenOneFailsAndLeavesNoThumbnail) {
    TempDir dir;
    add_entry(dir.path(), "20260101-100000-aaaaaa-1", "broken", "not an image");
    EXPECT_EQ(catch_error([&] { history_thumbnail(dir.path(), find_history_entry(dir.path(), "20260101")); }).kind(),
              ErrorKind::bad_image);
    std::remove((dir / "20260101-100000-aaaaaa-1.png").c_str());
    EXPECT_EQ(catch_error([&] { history_thumbnail(dir.path(), find_history_entry(dir.path(), "20260101")); }).kind(),
              ErrorKind::io);
    EXPECT_TRUE(list_dir(dir / "thumbnails").empty());
}

} // namespace
} // namespace pictor::storetest
