// Mapping a freshly allocated frame's memory before the decoder writes it.
#pragma once

#include <cstddef>

namespace pictor {

// Has the kernel map [data, data + size) for writing now, in as few faults as it can: in
// transparent huge pages while they come cheap, in 4 KiB pages otherwise. A hint only: where
// the system offers none of it (not Linux, THP off, a kernel before 5.14) it does nothing and
// the pages come one fault at a time as they are first written.
void map_frame_pages(void *data, size_t size);

} // namespace pictor
