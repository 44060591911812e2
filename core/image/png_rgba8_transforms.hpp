// The libpng transforms that turn any PNG into 8-bit RGBA rows, shared by the whole-buffer and
// the progressive decoder so both give identical pixels.
#pragma once

#include <png.h>

namespace pictor {

// Call after the header is read (png_read_info, or a progressive reader's info callback), from
// a function that has set up png_jmpbuf. Returns the number of interlace passes.
int set_png_rgba8_output(png_structp png, png_infop info);

} // namespace pictor
