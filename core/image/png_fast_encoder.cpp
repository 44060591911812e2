#include "image/png_fast_encoder.hpp"

#include <zlib.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <future>
#include <string>
#include <thread>

#include "error.hpp"

namespace pictor {
namespace {

constexpr uint64_t kMinBandBytes = 1u << 20; // below ~1 MB of rows a thread costs more than it saves

void put32(std::vector<uint8_t> &out, uint32_t v) {
    const uint8_t b[4] = {uint8_t(v >> 24), uint8_t(v >> 16), uint8_t(v >> 8), uint8_t(v)};
    out.insert(out.end(), b, b + 4);
}

void put_chunk(std::vector<uint8_t> &out, const char type[4], const uint8_t *data, size_t size) {
    put32(out, uint32_t(size));
    const size_t type_at = out.size();
    out.insert(out.end(), type, type + 4);
    if (size) out.insert(out.end(), data, data + size);
    uLong crc = crc32(0, out.data() + type_at, 4);
    if (size) crc = crc32_z(crc, data, size);
    put32(out, uint32_t(crc));
}

// The row's pixels as the PNG stores them: RGBA, or RGB when alpha is not written.
void pack_row(const uint8_t *rgba, uint32_t width, bool alpha, uint8_t *out) {
    if (alpha) {
        std::memcpy(out, rgba, size_t(width) * 4);
        return;
    }
    for (uint32_t x = 0; x < width; ++x) {
        out[x * 3] = rgba[x * 4];
        out[x * 3 + 1] = rgba[x * 4 + 1];
        out[x * 3 + 2] = rgba[x * 4 + 2];
    }
}

inline uint8_t paeth(int a, int b, int c) {
    const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
    return uint8_t(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
}

// PNG filter `type` (0-4) of the packed row `cur` (n bytes) over `prev` (zeros on the first
// row), into out (n bytes, without the filter byte).
void apply_filter(int type, const uint8_t *cur, const uint8_t *prev, size_t n, int bpp, uint8_t *out) {
    const size_t b = size_t(bpp);
    switch (type) {
    case 0: std::memcpy(out, cur, n); break;
    case 1:
        for (size_t i = 0; i < n; ++i) out[i] = uint8_t(cur[i] - (i >= b ? cur[i - b] : 0));
        break;
    case 2:
        for (size_t i = 0; i < n; ++i) out[i] = uint8_t(cur[i] - prev[i]);
        break;
    case 3:
        for (size_t i = 0; i < n; ++i) out[i] = uint8_t(cur[i] - ((i >= b ? cur[i - b] : 0) + prev[i]) / 2);
        break;
    default:
        for (size_t i = 0; i < b && i < n; ++i) out[i] = uint8_t(cur[i] - prev[i]);
        for (size_t i = b; i < n; ++i) out[i] = uint8_t(cur[i] - paeth(cur[i - b], prev[i], prev[i - b]));
    }
}

// libpng's heuristic: the filter whose output, read as signed bytes, sums to the least.
uint64_t signed_sum(const uint8_t *row, size_t n) {
    uint64_t sum = 0;
    for (size_t i = 0; i < n; ++i) sum += uint8_t(row[i] < 128 ? row[i] : 256 - row[i]);
    return sum;
}

// One filtered row into out: the filter byte, then the n filtered bytes. `trial` holds n bytes.
void filter_row(const uint8_t *cur, const uint8_t *prev, size_t n, int bpp, int filter, uint8_t *out,
                uint8_t *trial) {
    if (filter != kFastPngAdaptive) {
        out[0] = uint8_t(filter);
        apply_filter(filter, cur, prev, n, bpp, out + 1);
        return;
    }
    uint64_t best = UINT64_MAX;
    for (int type = 0; type <= 4; ++type) {
        apply_filter(type, cur, prev, n, bpp, trial);
        const uint64_t sum = signed_sum(trial, n);
        if (sum < best) {
            best = sum;
            out[0] = uint8_t(type);
            std::memcpy(out + 1, trial, n);
        }
    }
}

struct Band {
    std::vector<uint8_t> deflated;
    uLong adler = 1;
    uLong length = 0; // uncompressed bytes
};

// Raw deflate of rows [first, last); ends with a sync flush (byte-aligned, stream open) unless
// it is the final band.
Band deflate_band(const RgbaImage &image, uint32_t first, uint32_t last, const FastPngOptions &o,
                  bool final_band) {
    Band band;
    const size_t row_bytes = 1 + size_t(image.width) * (o.write_alpha ? 4 : 3);
    z_stream z{};
    if (deflateInit2(&z, o.zlib_level, Z_DEFLATED, -15, 8, o.zlib_strategy) != Z_OK)
        throw Error(ErrorKind::no_memory, "PNG: zlib could not start (out of memory?)");
    struct Ender {
        z_stream *z;
        ~Ender() { deflateEnd(z); }
    } ender{&z};
    const int bpp = o.write_alpha ? 4 : 3;
    const size_t n = row_bytes - 1;
    std::vector<uint8_t> row(row_bytes), trial(n), cur(n), prev(n, 0); // prev: zeros above row 0
    if (first > 0)
        pack_row(image.pixels.data() + size_t(first - 1) * image.stride(), image.width, o.write_alpha, prev.data());
    band.deflated.reserve(row_bytes * (last - first) / 3); // a guess; reserving touches nothing
    uint8_t chunk[1 << 16];
    for (uint32_t y = first; y < last; ++y) {
        pack_row(image.pixels.data() + size_t(y) * image.stride(), image.width, o.write_alpha, cur.data());
        filter_row(cur.data(), prev.data(), n, bpp, o.filter, row.data(), trial.data());
        cur.swap(prev);
        band.adler = adler32_z(band.adler, row.data(), row_bytes);
        band.length += uLong(row_bytes);
        z.next_in = row.data();
        z.avail_in = uInt(row_bytes);
        const int flush = y + 1 < last ? Z_NO_FLUSH : final_band ? Z_FINISH : Z_SYNC_FLUSH;
        do { // drain into the band's output until zlib has taken the row (and flushed)
            z.next_out = chunk;
            z.avail_out = sizeof chunk;
            if (deflate(&z, flush) == Z_STREAM_ERROR)
                throw Error(ErrorKind::internal, "PNG: zlib failed while compressing");
            band.deflated.insert(band.deflated.end(), chunk, chunk + (sizeof chunk - z.avail_out));
        } while (z.avail_out == 0);
    }
    return band;
}

} // namespace

std::vector<uint8_t> png_encode_fast(const RgbaImage &image, const FastPngOptions &o) {
    if (o.zlib_level < 0 || o.zlib_level > 9 || o.filter < 0 || o.filter > kFastPngAdaptive)
        throw Error(ErrorKind::invalid_argument, "PNG: fast encoding takes zlib level 0-9 and filter 0-5");
    const uint64_t raw_bytes = uint64_t(image.height) * (1 + uint64_t(image.width) * (o.write_alpha ? 4 : 3));
    unsigned threads = o.threads;
    if (threads == 0) // automatic: a band per core, none smaller than kMinBandBytes
        threads = unsigned(std::min<uint64_t>(std::min(4u, std::max(1u, std::thread::hardware_concurrency())),
                                              std::max<uint64_t>(1, raw_bytes / kMinBandBytes)));
    threads = std::max(1u, std::min(threads, image.height));

    std::vector<Band> bands(threads);
    std::vector<std::future<Band>> workers;
    for (unsigned b = 1; b < threads; ++b) {
        const uint32_t first = uint32_t(uint64_t(image.height) * b / threads);
        const uint32_t last = uint32_t(uint64_t(image.height) * (b + 1) / threads);
        workers.push_back(std::async(std::launch::async, deflate_band, std::cref(image), first, last,
                                     std::cref(o), b + 1 == threads));
    }
    std::exception_ptr failure;
    try {
        bands[0] = deflate_band(image, 0, uint32_t(image.height / threads), o, threads == 1);
    } catch (...) {
        failure = std::current_exception();
    }
    for (unsigned b = 1; b < threads; ++b) {
        try {
            bands[b] = workers[b - 1].get(); // every worker is joined, even after a failure
        } catch (...) {
            if (!failure) failure = std::current_exception();
        }
    }
    if (failure) std::rethrow_exception(failure);

    uLong adler = bands[0].adler;
    size_t deflated = 0;
    for (unsigned b = 0; b < threads; ++b) {
        if (b > 0) adler = adler32_combine(adler, bands[b].adler, z_off_t(bands[b].length));
        deflated += bands[b].deflated.size();
    }

    std::vector<uint8_t> out;
    out.reserve(deflated + 128);
    static const uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    out.insert(out.end(), signature, signature + 8);
    uint8_t ihdr[13] = {};
    for (int i = 0; i < 4; ++i) {
        ihdr[i] = uint8_t(image.width >> (24 - 8 * i));
        ihdr[4 + i] = uint8_t(image.height >> (24 - 8 * i));
    }
    ihdr[8] = 8;                       // bit depth
    ihdr[9] = o.write_alpha ? 6 : 2;   // RGBA or RGB; compression, filter, interlace: 0
    put_chunk(out, "IHDR", ihdr, sizeof ihdr);
    // One IDAT, written in place: the zlib header, the bands' deflate data, the combined Adler-32.
    const size_t length_at = out.size();
    put32(out, 0);
    out.insert(out.end(), {'I', 'D', 'A', 'T', 0x78, 0x01}); // 32K window, fast; 0x7801 % 31 == 0
    for (auto &band : bands) {
        out.insert(out.end(), band.deflated.begin(), band.deflated.end());
        std::vector<uint8_t>().swap(band.deflated);
    }
    put32(out, uint32_t(adler));
    const size_t idat_length = out.size() - length_at - 8;
    for (int i = 0; i < 4; ++i) out[length_at + i] = uint8_t(idat_length >> (24 - 8 * i));
    put32(out, uint32_t(crc32_z(0, out.data() + length_at + 4, idat_length + 4)));
    put_chunk(out, "IEND", nullptr, 0);
    return out;
}

} // namespace pictor
