// map_frame_pages is a hint: whatever it asks of the kernel, memory keeps its contents and
// stays writable, at any alignment and size.
#include "image/frame_pages.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace pictor {
namespace {

TEST(FramePages, ContentsSurviveAndStayWritableAtAnyAlignmentAndSize) {
    for (size_t size : {size_t(1), size_t(4095), size_t(1) << 20, (size_t(5) << 20) + 123, size_t(9) << 20}) {
        for (size_t offset : {size_t(0), size_t(1), size_t(4096 + 7)}) {
            std::vector<uint8_t> memory(size + offset);
            for (size_t i = 0; i < memory.size(); ++i) memory[i] = uint8_t(i * 131 + 7);
            map_frame_pages(memory.data() + offset, size);
            bool same = true;
            for (size_t i = 0; i < memory.size(); ++i) same = same && memory[i] == uint8_t(i * 131 + 7);
            EXPECT_TRUE(same) << "size " << size << ", offset " << offset;
            for (size_t i = 0; i < memory.size(); i += 4096) memory[i] = 0xa5;
            EXPECT_EQ(memory[0], 0xa5);
        }
    }
}

} // namespace
} // namespace pictor
