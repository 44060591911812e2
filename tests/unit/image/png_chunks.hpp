// Builds and edits PNG chunk streams by hand, for tests that need files no encoder would write.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pictor::test {

inline uint32_t crc32_of(const uint8_t *data, size_t size) {
    uint32_t crc = 0xffffffffu;
    for (size_t i = 0; i < size; ++i) {
        crc ^= data[i];
        for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

inline void put_u32(std::vector<uint8_t> &out, uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(uint8_t(v >> shift));
}

inline uint32_t get_u32(const std::vector<uint8_t> &in, size_t offset) {
    return uint32_t(in[offset]) << 24 | uint32_t(in[offset + 1]) << 16 |
           uint32_t(in[offset + 2]) << 8 | in[offset + 3];
}

// Length, type, data, and a correct CRC over type + data.
inline void append_chunk(std::vector<uint8_t> &png, const char type[5],
                         const std::vector<uint8_t> &data) {
    put_u32(png, uint32_t(data.size()));
    const size_t crc_start = png.size();
    png.insert(png.end(), type, type + 4);
    png.insert(png.end(), data.begin(), data.end());
    put_u32(png, crc32_of(png.data() + crc_start, png.size() - crc_start));
}

inline std::vector<uint8_t> png_signature() {
    return {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
}

inline std::vector<uint8_t> ihdr_data(uint32_t width, uint32_t height, uint8_t bit_depth,
                                      uint8_t color_type) {
    std::vector<uint8_t> data;
    put_u32(data, width);
    put_u32(data, height);
    data.insert(data.end(), {bit_depth, color_type, 0, 0, 0});
    return data;
}

struct PngChunk {
    std::string type;
    size_t offset;      // of the length field
    size_t data_offset; // of the first data byte
    uint32_t length;
};

inline std::vector<PngChunk> list_chunks(const std::vector<uint8_t> &png) {
    std::vector<PngChunk> chunks;
    for (size_t offset = 8; offset + 12 <= png.size();) {
        PngChunk chunk;
        chunk.offset = offset;
        chunk.length = get_u32(png, offset);
        chunk.type.assign(png.begin() + long(offset) + 4, png.begin() + long(offset) + 8);
        chunk.data_offset = offset + 8;
        chunks.push_back(chunk);
        offset += 12 + size_t(chunk.length);
    }
    return chunks;
}

// Recomputes the CRC of a chunk after its data was edited.
inline void fix_crc(std::vector<uint8_t> &png, const PngChunk &chunk) {
    const uint32_t crc = crc32_of(png.data() + chunk.offset + 4, 4 + size_t(chunk.length));
    for (int i = 0; i < 4; ++i)
        png[chunk.data_offset + chunk.length + size_t(i)] = uint8_t(crc >> (24 - 8 * i));
}

} // namespace pictor::test
