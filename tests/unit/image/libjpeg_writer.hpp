// JPEGs written straight through libjpeg, not with pictor: colour spaces and scan scripts
// pictor's encoder never produces, for the decoder's tests (unit and fault suites).
#pragma once

// jpeglib.h needs size_t and FILE declared first.
#include <cstddef>
#include <cstdio>
#include <jpeglib.h>

#include <cstdint>
#include <vector>

namespace pictor_test_jpeg {

// samples: width * height * components bytes, rows top to bottom. progressive: libjpeg's
// standard script (about ten scans); scans, when not empty, is the scan script instead.
// (libjpeg's default error handler exits; these inputs are always valid.)
std::vector<uint8_t> libjpeg_encode(const std::vector<uint8_t> &samples, uint32_t width, uint32_t height,
                                    int components, J_COLOR_SPACE space, bool progressive = false,
                                    const std::vector<jpeg_scan_info> &scans = {});

} // namespace pictor_test_jpeg
