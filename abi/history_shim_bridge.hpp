// What pictor_history.cpp needs from the shim in pictor.cpp: the thread's error slot behind an
// exception barrier, and a pictor_image made from core parts. Internal; never installed.
#pragma once

#include <pictor/pictor.h>

#include <functional>
#include <string>

#include "image/rgba_image.hpp"

namespace pictor_shim {

// Runs body inside the exception barrier of calls that take no client: a throw becomes the
// returned status and pictor_thread_last_error(); success clears that error.
pictor_status run_with_thread_error(const std::function<void()> &body) noexcept;

pictor_image *new_image(pictor::RgbaImage rgba, std::string encoded, std::string format, std::string history_path,
                        std::string request_id);

// A malloc'ed copy the host frees with pictor_free. Throws std::bad_alloc.
char *malloc_copy(const std::string &text);

} // namespace pictor_shim
