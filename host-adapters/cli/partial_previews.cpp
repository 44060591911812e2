#include "partial_previews.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <system_error>

namespace pictor_cli {

std::string PartialPreviews::prepare() const {
    if (dir_.empty()) return "";
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    if (ec || !std::filesystem::is_directory(dir_))
        return "cannot create --save-partials folder " + dir_ + ": " + ec.message();
    return "";
}

void PartialPreviews::callback(const pictor_image *partial, int index, int total, void *user_data) {
    static_cast<PartialPreviews *>(user_data)->on_partial(partial, index, total);
}

void PartialPreviews::on_partial(const pictor_image *partial, int index, int total) {
    std::string note = "preview " + std::to_string(index + 1) + "/" + std::to_string(total) + " (" +
                       std::to_string(pictor_image_width(partial)) + "x" +
                       std::to_string(pictor_image_height(partial)) + ")";
    if (!dir_.empty()) {
        const std::string path = dir_ + "/partial-" + std::to_string(index) + ".png";
        // PNG as received is written as is; other formats are converted.
        size_t size = 0;
        const uint8_t *bytes = pictor_image_encoded(partial, &size);
        uint8_t *converted = nullptr;
        if (std::string(pictor_image_format(partial)) != "png") {
            if (pictor_image_encode(partial, "png", -1, &converted, &size) != PICTOR_OK) size = 0;
            bytes = converted;
        }
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        if (bytes && size) out.write(reinterpret_cast<const char *>(bytes), std::streamsize(size));
        const bool ok = bytes && size && out.good();
        pictor_free(converted);
        if (ok) {
            ++saved_;
            note += " written to " + path;
        } else {
            note += " could not be written to " + path + " (the final image is not affected)";
        }
    }
    if (progress_) progress_->print_above(note);
}

} // namespace pictor_cli
