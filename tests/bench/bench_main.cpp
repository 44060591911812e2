// pictor_bench: the measuring half of tests/bench/run.sh. Each subcommand does one thing and
// prints one JSON line; run.sh repeats them in fresh processes and takes medians.
//
//   pictor_bench fixtures DIR [WxH]           synthetic photos as PNG/JPEG/WebP + JSON answers
//   pictor_bench fetch BASE_URL DIR [WARM_URL] one request -> RGBA through the core's client
//   pictor_bench decode FILE RUNS             libpng / libjpeg / libwebp decode from memory
//   pictor_bench encode RUNS                  upload encode: fast default vs libpng defaults
//   pictor_bench variations BASE_URL N DIR    N parallel variations, wall time
//   pictor_bench upload-fixtures DIR N        N 3840x2160 synthetic photos as lossless PNG (the peer's input)
//   pictor_bench upload BASE_URL QUALITY N DIR  N 4K references encoded (as the plugin does) and sent
//                                             as one edit; BASE_URL "" = encode only
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <exception>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/image_client.hpp"
#include "error.hpp"
#include "image/base64.hpp"
#include "image/image_decode.hpp"
#include "image/image_encode.hpp"
#include "commands/upload_image.hpp"
#include "synthetic_photo.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using pictor::RgbaImage;

double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    return n == 0 ? 0 : n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// Resident-set figures from /proc/self/status, in bytes.
uint64_t status_bytes(const char *field) {
    std::ifstream in("/proc/self/status");
    std::string line;
    const size_t length = std::strlen(field);
    while (std::getline(in, line))
        if (line.compare(0, length, field) == 0)
            return std::stoull(line.substr(length + 1)) * 1024;
    return 0;
}

// Writing 5 to clear_refs resets the peak (VmHWM) to the current RSS (Linux >= 4.0).
void reset_peak_rss() { std::ofstream("/proc/self/clear_refs") << "5"; }

std::string read_file(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

void write_file(const std::string &path, const std::string &bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), std::streamsize(bytes.size()));
    if (!out) throw std::runtime_error("cannot write " + path);
}

std::string as_string(const std::vector<uint8_t> &bytes) { return std::string(bytes.begin(), bytes.end()); }

// An answer as the official API shapes it, around the given image.
std::string images_answer(const std::string &image, const std::string &format) {
    std::string b64 = pictor::base64_encode(reinterpret_cast<const uint8_t *>(image.data()), image.size());
    return "{\"created\":1760000000,\"background\":\"opaque\",\"data\":[{\"b64_json\":\"" + b64 +
           "\"}],\"output_format\":\"" + format +
           "\",\"quality\":\"high\",\"usage\":{\"input_tokens\":20,\"output_tokens\":6240,"
           "\"total_tokens\":6260,\"input_tokens_details\":{\"text_tokens\":20,\"image_tokens\":0}}}";
}

int fixtures(const std::string &dir, const std::string &only) {
    const struct { uint32_t w, h; } sizes[] = {{1024, 1024}, {2048, 1152}, {3840, 2160}};
    for (auto s : sizes) {
        const std::string name = std::to_string(s.w) + "x" + std::to_string(s.h);
        if (!only.empty() && name != only) continue;
        RgbaImage photo = pictor::bench::synthetic_photo(s.w, s.h);
        pictor::EncodeOptions png; // libpng's defaults, as an image service writes them
        png.png_zlib_level = 6;
        pictor::EncodeOptions lossy;
        lossy.quality = 90;
        const std::pair<std::string, std::string> files[] = {
            {"png", as_string(pictor::encode_image(photo, pictor::ImageFormat::png, png))},
            {"jpeg", as_string(pictor::encode_image(photo, pictor::ImageFormat::jpeg, lossy))},
            {"webp", as_string(pictor::encode_image(photo, pictor::ImageFormat::webp, lossy))},
        };
        for (const auto &[format, bytes] : files) {
            write_file(dir + "/" + name + "." + format, bytes);
            write_file(dir + "/" + name + "." + format + ".json", images_answer(bytes, format));
            std::cerr << name << "." << format << ": " << bytes.size() << " bytes\n";
        }
    }
    return 0;
}

pictor::ImageClient make_client(const std::string &base_url, const std::string &history_dir,
                                const std::string &profile) {
    pictor::ClientOptions options;
    options.use_environment = false;
    options.profile_dir = PICTOR_PROFILES_DIR;
    options.settings.profile = profile;
    options.settings.base_url = base_url;
    options.settings.api_key = "sk-bench-not-a-real-key";
    options.settings.history_dir = history_dir;
    return pictor::ImageClient(options);
}

int fetch(const std::string &base_url, const std::string &history_dir, const std::string &warmup_url) {
    pictor::ImageRequest request;
    request.prompt = "benchmark";
    request.size = "auto";
    if (!warmup_url.empty()) {
        // A plug-in that has run before: code pages and allocator arenas are in place, so the
        // peak below is the request's own memory.
        pictor::ImageClient warm = make_client(warmup_url, history_dir, "openai");
        warm.run(request, false);
    }
    pictor::ImageClient client = make_client(base_url, history_dir, "openai");
    reset_peak_rss();
    const uint64_t idle = status_bytes("VmRSS:");
    const auto start = Clock::now();
    pictor::ImageResult result = client.run(request, false);
    const double ms = ms_since(start);
    const uint64_t peak = status_bytes("VmHWM:");
    const RgbaImage &rgba = result.images.at(0).rgba;
    const double frame = double(rgba.pixels.size());
    nlohmann::json out = {
        {"ms", ms},
        {"after_last_byte_ms", result.metadata["timings_ms"]["after_last_byte"]},
        {"history_ms", result.metadata["timings_ms"].value("history", 0.0)},
        {"peak_over_frame", double(peak - std::min(peak, idle)) / frame},
        {"width", rgba.width},
        {"height", rgba.height}};
    std::cout << out.dump() << "\n";
    return 0;
}

int decode(const std::string &file, int runs) {
    const std::string bytes = read_file(file);
    std::vector<double> times;
    for (int i = 0; i < runs; ++i) {
        const auto start = Clock::now();
        RgbaImage image = pictor::decode_image(reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size());
        times.push_back(ms_since(start));
    }
    std::cout << nlohmann::json{{"ms", median(times)}}.dump() << "\n";
    return 0;
}

int encode(int runs) {
    const RgbaImage photo = pictor::bench::synthetic_photo(3840, 2160, 7);
    pictor::EncodeOptions libpng_defaults;
    libpng_defaults.png_zlib_level = 6; // libpng's default level; its adaptive filter choice
    const pictor::EncodeOptions fast;   // what uploads use
    std::vector<double> slow_ms, fast_ms;
    size_t slow_bytes = 0, fast_bytes = 0;
    for (int i = 0; i < runs; ++i) {
        auto start = Clock::now();
        fast_bytes = pictor::encode_image(photo, pictor::ImageFormat::png, fast).size();
        fast_ms.push_back(ms_since(start));
        start = Clock::now();
        slow_bytes = pictor::encode_image(photo, pictor::ImageFormat::png, libpng_defaults).size();
        slow_ms.push_back(ms_since(start));
    }
    std::cout << nlohmann::json{{"fast_ms", median(fast_ms)}, {"fast_bytes", fast_bytes},
                                {"libpng_ms", median(slow_ms)}, {"libpng_bytes", slow_bytes}}
                     .dump()
              << "\n";
    return 0;
}

int variations(const std::string &base_url, int n, const std::string &history_dir) {
    // apiyi makes one image per request: n variations are n parallel requests.
    pictor::ImageClient client = make_client(base_url, history_dir, "apiyi");
    pictor::ImageRequest request;
    request.prompt = "benchmark";
    request.n = n;
    const auto start = Clock::now();
    pictor::ImageResult result = client.run(request, false);
    const double ms = ms_since(start);
    std::cout << nlohmann::json{{"ms", ms}, {"images", result.images.size()}}.dump() << "\n";
    return result.images.size() == size_t(n) ? 0 : 1;
}

// The references of the upload benchmark: 3840x2160, a different photo each.
RgbaImage upload_photo(size_t k) { return pictor::bench::synthetic_photo(3840, 2160, uint32_t(11 + k)); }

int upload_fixtures(const std::string &dir, int n) {
    pictor::EncodeOptions fast;
    for (int k = 0; k < n; ++k)
        write_file(dir + "/reference-" + std::to_string(k + 1) + ".png",
                   as_string(pictor::encode_image(upload_photo(size_t(k)), pictor::ImageFormat::png, fast)));
    return 0;
}

// Wall time from the pixels being in memory (the host's layers) to the server's answer, which it
// sends only after reading the last byte of the upload: encoding + sending, as a user waits. As
// in a host's job, the request starts once the first part is encoded and the references are
// encoded on this thread while the first ones go up (the openai route takes chunked bodies).
int upload(const std::string &base_url, const std::string &quality, int n, const std::string &history_dir) {
    std::vector<RgbaImage> layers;
    for (int k = 0; k < n; ++k)
        layers.push_back(upload_photo(size_t(k)));
    pictor::ImageClient client = make_client(base_url.empty() ? "http://127.0.0.1:9" : base_url, history_dir, "openai");
    const pictor::UploadQuality upload_quality = *pictor::parse_upload_quality(quality);
    reset_peak_rss();
    const uint64_t idle = status_bytes("VmRSS:");
    const auto start = Clock::now();
    pictor::plugin::UploadBatch batch = pictor::plugin::encode_uploads(
        layers[0], "layer", {}, layers.size() - 1, [&](size_t k) { return layers[k + 1]; },
        [](size_t k) { return "reference-" + std::to_string(k + 1); }, client.profile(), upload_quality);
    pictor::ImageRequest request;
    request.prompt = "benchmark";
    request.images = batch.images; // the same spool files: sealed as they are encoded
    std::exception_ptr failure;
    std::thread sender;
    if (!base_url.empty())
        sender = std::thread([&] {
            try {
                client.run(request, true);
            } catch (...) {
                failure = std::current_exception();
            }
        });
    if (batch.pending)
        batch.pending->encode_all();
    const double encode_ms = ms_since(start);
    if (sender.joinable())
        sender.join();
    if (failure)
        std::rethrow_exception(failure);
    uint64_t bytes = 0;
    for (const auto &image : batch.images)
        bytes += image.size(); // in spool files: written once, read by the transport as it sends
    const uint64_t peak = status_bytes("VmHWM:");
    std::cout << nlohmann::json{{"ms", ms_since(start)},
                                {"encode_ms", encode_ms},
                                {"bytes", bytes},
                                {"formats", batch.pending ? batch.pending->report() : batch.report},
                                {"peak_over_frame", double(peak - std::min(peak, idle)) / double(layers[0].pixels.size())}}
                     .dump()
              << "\n";
    return 0;
}

} // namespace

int main(int argc, char **argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    try {
        if (args.size() >= 2 && args.size() <= 3 && args[0] == "fixtures")
            return fixtures(args[1], args.size() == 3 ? args[2] : "");
        if ((args.size() == 3 || args.size() == 4) && args[0] == "fetch")
            return fetch(args[1], args[2], args.size() == 4 ? args[3] : "");
        if (args.size() == 3 && args[0] == "decode") return decode(args[1], std::stoi(args[2]));
        if (args.size() == 2 && args[0] == "encode") return encode(std::stoi(args[1]));
        if (args.size() == 3 && args[0] == "upload-fixtures") return upload_fixtures(args[1], std::stoi(args[2]));
        if (args.size() == 5 && args[0] == "upload")
            return upload(args[1], args[2], std::stoi(args[3]), args[4]);
        if (args.size() == 4 && args[0] == "variations")
            return variations(args[1], std::stoi(args[2]), args[3]);
    } catch (const std::exception &e) {
        std::cerr << "pictor_bench: " << e.what() << "\n";
        return 1;
    }
    std::cerr << "usage: pictor_bench fixtures DIR [WxH] | fetch BASE_URL HISTORY_DIR [WARMUP_URL] | decode FILE RUNS |"
                 " encode RUNS | variations BASE_URL N HISTORY_DIR\n";
    return 2;
}
