#include "store/history_thumbnail.hpp"

#include <sys/stat.h>

#include <algorithm>

#include "error.hpp"
#include "image/image_decode.hpp"
#include "image/image_encode.hpp"
#include "image/resample.hpp"
#include "store/durable_file.hpp"

namespace pictor {

std::string history_thumbnail_path(const std::string &directory, const std::string &id) {
    return directory + "/thumbnails/" + id + ".png";
}

std::string history_thumbnail(const std::string &directory, const HistoryRecord &record) {
    std::string path = history_thumbnail_path(directory, record.id);
    struct stat info {};
    // History images never change once written: a thumbnail that exists is the one to show.
    if (stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) && info.st_size > 0)
        return path;
    if (record.image_path.empty())
        throw Error(ErrorKind::io, "history entry " + record.id + " has no image file left (only " +
                                       record.sidecar_path + ")");
    std::string bytes = read_whole_file(record.image_path);
    RgbaImage image = decode_image(reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size());
    bytes.clear();
    uint32_t longest = std::max(image.width, image.height);
    if (longest > kHistoryThumbnailSide) {
        // Rounded, and never 0: a 3:1 strip is still a strip.
        auto scaled = [&](uint32_t side) {
            return std::max<uint32_t>(1, uint32_t((uint64_t(side) * kHistoryThumbnailSide + longest / 2) / longest));
        };
        image = resize_rgba(image, scaled(image.width), scaled(image.height));
    }
    std::vector<uint8_t> png = encode_image(image, ImageFormat::png);
    make_directories(directory + "/thumbnails", 0700);
    write_file_durably(path, std::string_view(reinterpret_cast<const char *>(png.data()), png.size()), 0600);
    return path;
}

} // namespace pictor
