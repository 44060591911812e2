#include "image/png_fast_encoder.hpp"

#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <future>
#include <string>
#include <thread>
#include <utility>

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

// A band's deflate output in its own anonymous mapping, grown with mremap: freeing it gives the
// pages back to the OS at once. A multi-MB vector freed by a worker thread stays in that
// thread's glibc arena for reuse: at the upload peak the arenas held about 0.26x a frame of them.
class MappedBytes {
public:
    MappedBytes() = default;
    MappedBytes(MappedBytes &&other) noexcept { *this = std::move(other); }
    MappedBytes &operator=(MappedBytes &&other) noexcept {
        std::swap(data_, other.data_);
        std::swap(size_, other.size_);
        std::swap(capacity_, other.capacity_);
        return *this;
    }
    ~MappedBytes() { release(); }

    uint8_t *data() const { return data_; }
    size_t size() const { return size_; }
    size_t spare() const { return capacity_ - size_; }
    // At least `bytes` of spare room after size(); untouched room costs no memory.
    void reserve_spare(size_t bytes) {
        if (spare() >= bytes)
            return;
        const size_t page = size_t(sysconf(_SC_PAGESIZE));
        const size_t wanted = (std::max(size_ + bytes, capacity_ * 2) + page - 1) / page * page;
        void *p = data_ ? mremap(data_, capacity_, wanted, MREMAP_MAYMOVE)
                        : mmap(nullptr, wanted, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            throw Error(ErrorKind::no_memory, "PNG: out of memory holding the compressed rows");
        data_ = static_cast<uint8_t *>(p);
        capacity_ = wanted;
    }
    void grow(size_t bytes) { size_ += bytes; } // bytes written into the spare room
    void release() {
        if (data_)
            munmap(data_, capacity_);
        data_ = nullptr;
        size_ = capacity_ = 0;
    }

private:
    uint8_t *data_ = nullptr;
    size_t size_ = 0, capacity_ = 0;
};

struct Band {
    MappedBytes deflated;
    uLong adler = 1;
    uLong length = 0; // uncompressed bytes
};

constexpr size_t kDeflateStep = 1u << 16; // spare room zlib writes into at a time

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
    for (uint32_t y = first; y < last; ++y) {
        pack_row(image.pixels.data() + size_t(y) * image.stride(), image.width, o.write_alpha, cur.data());
        filter_row(cur.data(), prev.data(), n, bpp, o.filter, row.data(), trial.data());
        cur.swap(prev);
        band.adler = adler32_z(band.adler, row.data(), row_bytes);
        band.length += uLong(row_bytes);
        z.next_in = row.data();
        z.avail_in = uInt(row_bytes);
        const int flush = y + 1 < last ? Z_NO_FLUSH : final_band ? Z_FINISH : Z_SYNC_FLUSH;
        do { // deflate straight into the band's room until zlib has taken the row (and flushed)
            band.deflated.reserve_spare(kDeflateStep);
            const size_t room = std::min<size_t>(band.deflated.spare(), UINT_MAX);
            z.next_out = band.deflated.data() + band.deflated.size();
            z.avail_out = uInt(room);
            if (deflate(&z, flush) == Z_STREAM_ERROR)
                throw Error(ErrorKind::internal, "PNG: zlib failed while compressing");
            band.deflated.grow(room - z.avail_out);
        } while (z.avail_out == 0);
    }
    return band;
}

// The rows in `threads` bands compressed at once, band 0 on this thread.
std::vector<Band> deflate_bands(const RgbaImage &image, const FastPngOptions &o, unsigned threads) {
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
    return bands;
}

unsigned band_count(const RgbaImage &image, const FastPngOptions &o) {
    const uint64_t raw_bytes = uint64_t(image.height) * (1 + uint64_t(image.width) * (o.write_alpha ? 4 : 3));
    unsigned threads = o.threads;
    if (threads == 0) // automatic: a band per core, none smaller than kMinBandBytes
        threads = unsigned(std::min<uint64_t>(std::min(4u, std::max(1u, std::thread::hardware_concurrency())),
                                              std::max<uint64_t>(1, raw_bytes / kMinBandBytes)));
    return std::max(1u, std::min(threads, image.height));
}

// The signature, IHDR and the start of the one IDAT (its length, type and the zlib header).
std::vector<uint8_t> png_head(const RgbaImage &image, bool write_alpha, uint64_t idat_length) {
    std::vector<uint8_t> out;
    static const uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    out.insert(out.end(), signature, signature + 8);
    uint8_t ihdr[13] = {};
    for (int i = 0; i < 4; ++i) {
        ihdr[i] = uint8_t(image.width >> (24 - 8 * i));
        ihdr[4 + i] = uint8_t(image.height >> (24 - 8 * i));
    }
    ihdr[8] = 8;                       // bit depth
    ihdr[9] = write_alpha ? 6 : 2;     // RGBA or RGB; compression, filter, interlace: 0
    put_chunk(out, "IHDR", ihdr, sizeof ihdr);
    put32(out, uint32_t(idat_length));
    out.insert(out.end(), {'I', 'D', 'A', 'T', 0x78, 0x01}); // 32K window, fast; 0x7801 % 31 == 0
    return out;
}

} // namespace

uint64_t png_encode_fast_to(const RgbaImage &image, const FastPngOptions &o, const ByteSink &sink) {
    if (o.zlib_level < 0 || o.zlib_level > 9 || o.filter < 0 || o.filter > kFastPngAdaptive)
        throw Error(ErrorKind::invalid_argument, "PNG: fast encoding takes zlib level 0-9 and filter 0-5");
    std::vector<Band> bands = deflate_bands(image, o, band_count(image, o));
    uLong adler = bands[0].adler;
    uint64_t deflated = 0;
    for (size_t b = 0; b < bands.size(); ++b) {
        if (b > 0) adler = adler32_combine(adler, bands[b].adler, z_off_t(bands[b].length));
        deflated += bands[b].deflated.size();
    }
    // One IDAT: the zlib header, the bands' deflate data, the combined Adler-32. Its CRC runs
    // over the data as it goes out.
    const uint64_t idat_length = 2 + deflated + 4;
    std::vector<uint8_t> piece = png_head(image, o.write_alpha, idat_length);
    uint64_t written = piece.size();
    uLong crc = crc32_z(0, piece.data() + piece.size() - 6, 6); // "IDAT" and the zlib header
    sink(piece.data(), piece.size());
    for (auto &band : bands) {
        crc = crc32_z(crc, band.deflated.data(), band.deflated.size());
        sink(band.deflated.data(), band.deflated.size());
        written += band.deflated.size();
        band.deflated.release();
    }
    piece.clear();
    put32(piece, uint32_t(adler));
    crc = crc32_z(crc, piece.data(), 4);
    put32(piece, uint32_t(crc));
    put_chunk(piece, "IEND", nullptr, 0);
    sink(piece.data(), piece.size());
    return written + piece.size();
}

std::vector<uint8_t> png_encode_fast(const RgbaImage &image, const FastPngOptions &o) {
    std::vector<uint8_t> out;
    png_encode_fast_to(image, o, [&](const uint8_t *data, size_t size) { out.insert(out.end(), data, data + size); });
    return out;
}

} // namespace pictor
