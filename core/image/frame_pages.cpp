#include "image/frame_pages.hpp"

#include <chrono>
#include <cstdint>

#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace pictor {

#if defined(__linux__) && defined(MADV_POPULATE_WRITE) && defined(MADV_HUGEPAGE) && defined(MADV_NOHUGEPAGE)
namespace {

constexpr uintptr_t kHugePage = uintptr_t(2) << 20;

// A huge page is normally mapped (and zeroed) in ~0.2 ms here; in a virtual machine that hands
// free memory back to its host (free page reporting: this build VM does, in 8 MiB blocks) a
// returned one takes ~5-6 ms, because the host faults it back in 4 KiB at a time, while 4 KiB
// pages, which the kernel takes from recently freed memory first, cost ~1.1 ms per 2 MiB either
// way. So the frame is mapped a huge page at a time, and the first one slower than this sends
// the rest to 4 KiB pages. Fetches of the 4K answer, medians of 15-20 interleaved: 90-98 ms
// with plain faults, 86-89 ms populated in 4 KiB pages, 74-83 ms in huge pages but with a
// third of the runs ~60 ms slower on this VM, which this fallback removes.
constexpr auto kSlowHugePage = std::chrono::microseconds(1000);

void populate(uintptr_t begin, uintptr_t end) {
    if (end > begin) (void)madvise(reinterpret_cast<void *>(begin), end - begin, MADV_POPULATE_WRITE);
}

} // namespace

void map_frame_pages(void *data, size_t size) {
    const uintptr_t page = uintptr_t(sysconf(_SC_PAGESIZE));
    const uintptr_t begin = uintptr_t(data) & ~(page - 1);
    const uintptr_t end = uintptr_t(data) + size;
    const uintptr_t huge_begin = (begin + kHugePage - 1) & ~(kHugePage - 1);
    const uintptr_t huge_end = end & ~(kHugePage - 1);
    if (huge_end <= huge_begin || madvise(reinterpret_cast<void *>(huge_begin), huge_end - huge_begin, MADV_HUGEPAGE) != 0) {
        populate(begin, end); // too small for a huge page, or THP is off
        return;
    }
    populate(begin, huge_begin);
    for (uintptr_t at = huge_begin; at < huge_end; at += kHugePage) {
        const auto start = std::chrono::steady_clock::now();
        populate(at, at + kHugePage);
        if (std::chrono::steady_clock::now() - start > kSlowHugePage && at + kHugePage < huge_end) {
            const uintptr_t rest = at + kHugePage;
            (void)madvise(reinterpret_cast<void *>(rest), huge_end - rest, MADV_NOHUGEPAGE);
            populate(rest, huge_end);
            break;
        }
    }
    populate(huge_end, end);
}

#else

void map_frame_pages(void *, size_t) {}

#endif

} // namespace pictor
