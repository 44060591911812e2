// --partials / --save-partials: the previews a streaming route sends while it generates,
// written as DIR/partial-<index>.png and announced on the status line.
#pragma once

#include <string>

#include <pictor/pictor.h>

#include "progress_line.hpp"

namespace pictor_cli {

class PartialPreviews {
public:
    // dir "": previews are only announced, not written.
    PartialPreviews(std::string dir, ProgressLine *progress) : dir_(std::move(dir)), progress_(progress) {}

    // Creates the folder before anything is sent; returns "" or what went wrong.
    std::string prepare() const;

    // Fits pictor_request.partial_image; user_data is the PartialPreviews.
    static void callback(const pictor_image *partial, int index, int total, void *user_data);

    int saved() const { return saved_; }

private:
    void on_partial(const pictor_image *partial, int index, int total);

    std::string dir_;
    ProgressLine *progress_;
    int saved_ = 0;
};

} // namespace pictor_cli
