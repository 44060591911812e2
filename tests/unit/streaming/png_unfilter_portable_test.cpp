// The plain C++ unfilter (what non-x86 builds run) against the SSE2 one this machine uses: the
// same source built a second time, into its own namespace, with the portable switch on.
#define PICTOR_UNFILTER_PORTABLE 1
#define pictor pictor_portable
#include "image/png_unfilter.cpp"
#undef pictor

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace pictor { // the library's own (png_unfilter.hpp is already taken by the build above)
bool unfilter_png_row_to_rgba(uint8_t filter, const uint8_t *filtered, const uint8_t *prior, uint8_t *out,
                              uint32_t width, int channels);
}

namespace {

TEST(PngUnfilter, PortableVersionMatchesTheVectorOne) {
    std::mt19937 random(3);
    for (int channels : {3, 4}) {
        for (uint32_t width : {1u, 2u, 5u, 64u, 301u}) {
            for (uint8_t filter = 0; filter <= 5; ++filter) {
                std::vector<uint8_t> prior(width * 4), filtered(width * channels + 1);
                for (auto &v : prior) v = uint8_t(random());
                for (auto &v : filtered) v = uint8_t(random());
                std::vector<uint8_t> portable(width * 4), vector(width * 4);
                const bool a = pictor_portable::unfilter_png_row_to_rgba(filter, filtered.data(), prior.data(),
                                                                         portable.data(), width, channels);
                const bool b = pictor::unfilter_png_row_to_rgba(filter, filtered.data(), prior.data(), vector.data(),
                                                                width, channels);
                ASSERT_EQ(a, b);
                EXPECT_EQ(a, filter <= 4);
                EXPECT_EQ(portable, vector) << "channels " << channels << ", width " << width << ", filter "
                                            << int(filter);
            }
        }
    }
}

} // namespace
