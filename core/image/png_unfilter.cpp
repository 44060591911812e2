#include "image/png_unfilter.hpp"

#include <cstring>

// PICTOR_UNFILTER_PORTABLE: the plain C++ version everywhere (its test builds it on x86 too).
#if defined(__SSE2__) && !defined(PICTOR_UNFILTER_PORTABLE)
#define PICTOR_UNFILTER_SSE2 1
#include <emmintrin.h>
#endif

// Called from two places, the Paeth pair body is otherwise left out of line (a third slower).
#if defined(__GNUC__) || defined(__clang__)
#define PICTOR_ALWAYS_INLINE __attribute__((always_inline))
#else
#define PICTOR_ALWAYS_INLINE
#endif

namespace pictor {
namespace {

enum class PngFilter : uint8_t { none = 0, sub = 1, up = 2, average = 3, paeth = 4 }; // PNG spec 9.2

inline uint32_t load32(const uint8_t *p) {
    uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
}

inline void store32(uint8_t *p, uint32_t v) { std::memcpy(p, &v, 4); }

// The fourth byte in memory order, whatever the endianness: RGB output gets alpha 255 there.
const uint32_t kAlphaLane = [] {
    const uint8_t bytes[4] = {0, 0, 0, 0xff};
    return load32(bytes);
}();

// One pixel is one step: the filters are serial along a row (each pixel needs its left
// neighbour's result), so the 4 channels of one pixel share a register. (Paeth, where that
// chain is long, has its own loop below.) An RGB pixel is loaded as 4 bytes and so carries the
// next pixel's red in its fourth lane; lanes never mix, and the store replaces that lane with
// alpha.
#if defined(PICTOR_UNFILTER_SSE2)
using Pixel = __m128i; // 4 bytes in the low lanes

inline Pixel load_pixel(const uint8_t *p) { return _mm_cvtsi32_si128(int(load32(p))); }
inline void store_pixel(uint8_t *p, Pixel v, uint32_t alpha) { store32(p, uint32_t(_mm_cvtsi128_si32(v)) | alpha); }
inline Pixel zero_pixel() { return _mm_setzero_si128(); }

// x plus the predictor from left (a) or above (b), per byte mod 256. Average and Paeth, whose
// chains through a are longer, have their own loops below.
template <PngFilter Filter> inline Pixel step(Pixel x, Pixel a, Pixel b, Pixel) {
    static_assert(Filter == PngFilter::none || Filter == PngFilter::sub || Filter == PngFilter::up,
                  "Average and Paeth rows go through unfilter_average and unfilter_paeth");
    if (Filter == PngFilter::none) return x;
    if (Filter == PngFilter::sub) return _mm_add_epi8(x, a);
    return _mm_add_epi8(x, b);
}
#else
using Pixel = uint32_t; // 4 byte lanes in a word, no carry between them

inline Pixel load_pixel(const uint8_t *p) { return load32(p); }
inline void store_pixel(uint8_t *p, Pixel v, uint32_t alpha) { store32(p, v | alpha); }
inline Pixel zero_pixel() { return 0; }

inline uint32_t add_lanes(uint32_t x, uint32_t y) {
    return ((x & 0x7f7f7f7fu) + (y & 0x7f7f7f7fu)) ^ ((x ^ y) & 0x80808080u);
}

inline uint8_t lane(uint32_t v, int k) {
    uint8_t bytes[4];
    std::memcpy(bytes, &v, 4);
    return bytes[k];
}

template <PngFilter Filter> inline Pixel step(Pixel x, Pixel a, Pixel b, Pixel c) {
    if (Filter == PngFilter::none) return x;
    if (Filter == PngFilter::sub) return add_lanes(x, a);
    if (Filter == PngFilter::up) return add_lanes(x, b);
    if (Filter == PngFilter::average) return add_lanes(x, (a & b) + (((a ^ b) & 0xfefefefeu) >> 1));
    uint8_t predictor[4];
    for (int k = 0; k < 4; ++k) {
        const int la = lane(a, k), lb = lane(b, k), lc = lane(c, k);
        const int pa = lb > lc ? lb - lc : lc - lb;
        const int pb = la > lc ? la - lc : lc - la;
        const int sum = la + lb - 2 * lc;
        const int pc = sum < 0 ? -sum : sum;
        predictor[k] = uint8_t(pa <= pb && pa <= pc ? la : pb <= pc ? lb : lc);
    }
    return add_lanes(x, load32(predictor));
}
#endif

#if defined(PICTOR_UNFILTER_SSE2)
// Paeth (PNG spec 9.4) reordered so that little waits for the left neighbour a, whose chain
// through the row would limit a one-pixel step (~15 dependent instructions per pixel). With
// b above and c above-left the predictor is a when a <= L or a >= H, where L, H = min, max(b,
// 3c - 2b); between them it is c on c's side of (3c - b) / 2 and b on the other (the spec's
// ties included; the test checks all 2^24 a, b, c). So L, H, the threshold and the sums x + b,
// x + c are computed from the row above and x for two pixels per register, and only three
// comparisons and two selections per pixel wait for a. The 4K benchmark answer's 1,047 Paeth
// rows: 17.5 -> 9 ms (all its rows 22 -> 13.4 ms).
template <int Channels>
void unfilter_paeth(const uint8_t *filtered, const uint8_t *prior, uint8_t *out, uint32_t width) {
    const __m128i zero = _mm_setzero_si128(), one = _mm_set1_epi16(1), low_byte = _mm_set1_epi16(0xff);
    const __m128i alpha = Channels == 3 ? _mm_set1_epi32(int(kAlphaLane)) : zero;
    __m128i a = zero;     // the left neighbour, 16-bit lanes, in the low half
    __m128i above = zero; // b of the previous pair: its high half is c of this pair's first pixel
    // Two pixels (x8, b8: their 4 bytes each, the second in bytes 4-7) -> both decoded, packed
    // to bytes 0-7. For a last pixel alone the second half is computed from zeros and ignored.
    const auto decode_pair = [&](__m128i x8, __m128i b8) PICTOR_ALWAYS_INLINE {
        const __m128i x = _mm_unpacklo_epi8(x8, zero);
        const __m128i b = _mm_unpacklo_epi8(b8, zero);
        const __m128i c = _mm_castpd_si128(_mm_shuffle_pd(_mm_castsi128_pd(above), _mm_castsi128_pd(b), 1));
        above = b;
        const __m128i d = _mm_sub_epi16(b, c);
        const __m128i t = _mm_sub_epi16(c, _mm_add_epi16(d, d)); // 3c - 2b
        const __m128i low = _mm_min_epi16(b, t), high = _mm_max_epi16(b, t);
        const __m128i b_below_c = _mm_cmpgt_epi16(c, b);
        // Under the threshold is c's side when b > c (2a < 3c - b), b's when b < c (2a <= 3c - b).
        const __m128i threshold = _mm_srai_epi16(_mm_sub_epi16(_mm_add_epi16(_mm_add_epi16(t, b), one), b_below_c), 1);
        const __m128i sum_b = _mm_and_si128(_mm_add_epi16(x, b), low_byte);
        const __m128i sum_c = _mm_and_si128(_mm_add_epi16(x, c), low_byte);
        const __m128i sums_differ = _mm_xor_si128(sum_b, sum_c);
        const __m128i over = _mm_xor_si128(sum_b, _mm_and_si128(sums_differ, b_below_c)); // at/over the threshold
        // Waits for a: the first pixel in the low half, the second in the high half.
        const auto next = [&](__m128i left) {
            const __m128i sum_a = _mm_and_si128(_mm_add_epi16(x, left), low_byte);
            const __m128i between = _mm_and_si128(_mm_cmpgt_epi16(left, low), _mm_cmpgt_epi16(high, left));
            const __m128i mid = _mm_xor_si128(over, _mm_and_si128(sums_differ, _mm_cmpgt_epi16(threshold, left)));
            return _mm_or_si128(_mm_and_si128(between, mid), _mm_andnot_si128(between, sum_a));
        };
        const __m128i first = next(a);
        const __m128i second = next(_mm_unpacklo_epi64(first, first));
        a = _mm_unpackhi_epi64(second, second);
        const __m128i both = _mm_castpd_si128(_mm_move_sd(_mm_castsi128_pd(second), _mm_castsi128_pd(first)));
        return _mm_or_si128(_mm_packus_epi16(both, both), alpha);
    };
    size_t i = 0;
    for (; i + 2 <= width; i += 2) {
        const __m128i x8 = Channels == 4
                               ? _mm_loadl_epi64(reinterpret_cast<const __m128i *>(filtered + i * 4))
                               : _mm_unpacklo_epi32(load_pixel(filtered + i * 3), load_pixel(filtered + i * 3 + 3));
        const __m128i b8 = _mm_loadl_epi64(reinterpret_cast<const __m128i *>(prior + i * 4));
        _mm_storel_epi64(reinterpret_cast<__m128i *>(out + i * 4), decode_pair(x8, b8));
    }
    if (i < width) store_pixel(out + i * 4, decode_pair(load_pixel(filtered + i * Channels), load_pixel(prior + i * 4)), 0);
}
#endif

#if defined(PICTOR_UNFILTER_SSE2)
// Average carried as the complement of a: floor((a + b) / 2) = ~avg_up(~a, ~b), so with
// na = ~a the next na is avg_up(na, ~b) - x, two dependent instructions per pixel where the
// direct form has four (the 4K benchmark answer's 1,009 Average rows: 5.1 -> 4.4 ms, now bound by the loads
// and stores).
template <int Channels>
void unfilter_average(const uint8_t *filtered, const uint8_t *prior, uint8_t *out, uint32_t width) {
    const uint32_t alpha = Channels == 3 ? kAlphaLane : 0;
    const __m128i ones = _mm_set1_epi8(-1);
    __m128i not_a = ones; // ~0: the pixel left of the first one counts as 0
    for (uint32_t i = 0; i < width; ++i) {
        const __m128i not_b = _mm_xor_si128(load_pixel(prior + size_t(i) * 4), ones);
        not_a = _mm_sub_epi8(_mm_avg_epu8(not_a, not_b), load_pixel(filtered + size_t(i) * Channels));
        store_pixel(out + size_t(i) * 4, _mm_xor_si128(not_a, ones), alpha);
    }
}
#endif

template <int Channels, PngFilter Filter>
void unfilter_one(const uint8_t *filtered, const uint8_t *prior, uint8_t *out, uint32_t width) {
    const uint32_t alpha = Channels == 3 ? kAlphaLane : 0;
    Pixel a = zero_pixel(), c = zero_pixel();
    for (uint32_t i = 0; i < width; ++i) {
        const Pixel b = load_pixel(prior + size_t(i) * 4);
        a = step<Filter>(load_pixel(filtered + size_t(i) * Channels), a, b, c);
        store_pixel(out + size_t(i) * 4, a, alpha);
        c = b;
    }
}

using OneRow = void (*)(const uint8_t *, const uint8_t *, uint8_t *, uint32_t);

template <int Channels> OneRow one_row(uint8_t filter) {
    switch (PngFilter(filter)) {
    case PngFilter::none: return unfilter_one<Channels, PngFilter::none>;
    case PngFilter::sub: return unfilter_one<Channels, PngFilter::sub>;
    case PngFilter::up: return unfilter_one<Channels, PngFilter::up>;
#if defined(PICTOR_UNFILTER_SSE2)
    case PngFilter::average: return unfilter_average<Channels>;
#else
    case PngFilter::average: return unfilter_one<Channels, PngFilter::average>;
#endif
#if defined(PICTOR_UNFILTER_SSE2)
    case PngFilter::paeth: return unfilter_paeth<Channels>;
#else
    case PngFilter::paeth: return unfilter_one<Channels, PngFilter::paeth>;
#endif
    }
    return nullptr;
}

} // namespace

bool unfilter_png_row_to_rgba(uint8_t filter, const uint8_t *filtered, const uint8_t *prior,
                              uint8_t *out, uint32_t width, int channels) {
    const OneRow run = channels == 3 ? one_row<3>(filter) : one_row<4>(filter);
    if (run == nullptr) return false;
    run(filtered, prior, out, width);
    return true;
}

} // namespace pictor
