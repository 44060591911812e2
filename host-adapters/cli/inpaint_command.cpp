#include "inpaint_command.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include <nlohmann/json.hpp>
#include <pictor/pictor.hpp>

#include "cli_options.hpp"
#include "client_setup.hpp"
#include "exit_status.hpp"
#include "failure_report.hpp"
#include "file_document.hpp"
#include "input_files.hpp"
#include "interrupt.hpp"
#include "json_output.hpp"
#include "output_files.hpp"
#include "progress_line.hpp"
#include "selection_file.hpp"

namespace pictor_cli {

namespace {

// Decodes an input file; on failure returns nullptr and sets *error.
pictor::image_ptr decode_input(const char *option, const InputFile &file, std::string *error) {
    pictor_image *image = nullptr;
    pictor_status status = pictor_decode_image(file.bytes.data(), file.bytes.size(), 0, &image);
    if (status != PICTOR_OK) {
        *error = std::string("cannot use ") + option + " " + file.path + ": " + pictor_thread_last_error()->message;
        return nullptr;
    }
    return pictor::image_ptr(image);
}

std::string size_text(const pictor_image *image) {
    return std::to_string(pictor_image_width(image)) + "x" + std::to_string(pictor_image_height(image));
}

// Pastes a layer's rows (width x height at offset) over a canvas-sized RGBA buffer.
void paste(std::vector<uint8_t> &canvas, uint32_t canvas_width, const ReceivedLayer &layer,
           const std::vector<uint8_t> &pixels) {
    for (uint32_t row = 0; row < layer.height; ++row)
        std::memcpy(&canvas[((size_t(layer.offset_y) + row) * canvas_width + size_t(layer.offset_x)) * 4],
                    &pixels[size_t(row) * layer.width * 4], size_t(layer.width) * 4);
}

// Writes RGBA pixels to `path` in the format its extension names. "" or the failure.
std::string write_pixels(const std::string &path, uint32_t width, uint32_t height, const std::vector<uint8_t> &rgba,
                         int quality, pictor_status *status) {
    pictor_image *image = nullptr;
    *status = pictor_image_from_rgba(width, height, rgba.data(), size_t(width) * 4, &image);
    if (*status != PICTOR_OK) return std::string("cannot prepare ") + path + ": " + pictor_thread_last_error()->message;
    pictor::image_ptr owned(image);
    return write_image(image, path, quality, status);
}


} // namespace

int run_inpaint(const std::vector<std::string> &args) {
    ParsedImageOptions parsed = parse_image_options(args, ImageCommand::inpaint);
    if (parsed.help) {
        std::fputs(image_command_help(ImageCommand::inpaint).c_str(), stdout);
        return kExitSuccess;
    }
    const ImageOptions &options = parsed.options;
    ProgressLine progress(stderr, !options.json);
    auto usage_failure = [&](const std::string &message) {
        return report_failure(Failure::local(PICTOR_ERR_INVALID_ARGUMENT, message), options.json, progress);
    };
    if (!parsed.error.empty()) {
        int status = usage_failure(parsed.error);
        std::fputs(image_command_usage(ImageCommand::inpaint).c_str(), stderr);
        return status;
    }
    install_interrupt_handler();

    // Everything local is checked before a paid request can go out.
    InputFile image_file, selection_file;
    std::string error;
    if (!read_input_file("--image", options.images[0], &image_file, &error, largest_reencodable_input_bytes) ||
        !read_input_file("--selection", *options.selection, &selection_file, &error, largest_reencodable_input_bytes))
        return usage_failure(error);
    pictor::image_ptr image = decode_input("--image", image_file, &error);
    if (!image) return usage_failure(error);
    pictor::image_ptr selection = decode_input("--selection", selection_file, &error);
    if (!selection) return usage_failure(error);
    if (pictor_image_width(image.get()) != pictor_image_width(selection.get()) ||
        pictor_image_height(image.get()) != pictor_image_height(selection.get()))
        return usage_failure("--selection " + selection_file.path + " is " + size_text(selection.get()) +
                             " but --image " + image_file.path + " is " + size_text(image.get()) +
                             ": the selection must be the size of the image; nothing was sent");
    const uint32_t width = pictor_image_width(image.get()), height = pictor_image_height(image.get());
    FileDocument document(width, height, pictor_image_rgba(image.get()),
                          selection_coverage(selection.get()), &progress);
    image.reset();
    if (document.selection_is_empty())
        return report_failure(Failure::local(PICTOR_ERR_INVALID_REQUEST,
                                             "nothing is selected: --selection " + selection_file.path +
                                                 " is all 0 (black, or transparent); select the area to repaint "
                                                 "(255 = selected). Nothing was sent."),
                              options.json, progress);
    for (const std::string *path : {&options.output, options.layer_out ? &*options.layer_out : nullptr}) {
        if (!path) continue;
        std::string folder_error = check_output_folder(*path);
        if (!folder_error.empty()) return usage_failure("cannot write " + *path + ": " + folder_error);
    }

    Failure failure;
    pictor::client_ptr client = create_client(options, &progress, &failure);
    if (!client) return report_failure(failure, options.json, progress);
    pictor_request request;
    pictor_command_options command;
    pictor_status status = pictor_request_init(&request);
    if (status == PICTOR_OK) status = pictor_command_options_init(&command);
    if (status != PICTOR_OK)
        return report_failure(Failure::from_library(status, *pictor_thread_last_error()), options.json, progress);
    fill_request_fields(options, &request); // no --size: the selection decides
    command.command = PICTOR_COMMAND_INPAINT_SELECTION;
    command.request = &request;
    command.layer = 0;
    command.grow_px = options.grow_px;
    command.feather_px = options.feather_px;
    command.context_px = options.context_px;
    command.callback_thread = PICTOR_CALLBACKS_ON_DISPATCH; // progress on this thread, like generate

    if (interrupt_requested())
        return report_failure(Failure::local(PICTOR_ERR_CANCELLED, "interrupted"), options.json, progress);
    pictor_host host = document.table();
    pictor_job *raw_job = nullptr;
    watch_for_interrupt(client.get());
    status = pictor_job_start(client.get(), &host, &command, &raw_job);
    pictor::job_ptr job(raw_job);
    if (status == PICTOR_OK) status = pictor_job_wait(job.get());
    watch_for_interrupt(nullptr);
    progress.finish();
    if (status != PICTOR_OK)
        return report_failure(Failure::from_library(status, job ? *pictor_job_error(job.get())
                                                                : *pictor_client_last_error(client.get())),
                              options.json, progress);

    const std::vector<ReceivedLayer> &layers = document.layers();
    if (layers.empty()) {
        Failure empty = Failure::local(PICTOR_ERR_BAD_RESPONSE, "the server answered without an image, and the request may "
                                                            "still be billed; try again");
        empty.request_sent = empty.may_be_billed = true;
        return report_failure(empty, options.json, progress);
    }
    // -o: the whole picture with each result merged in; --layer-out: the new layer alone.
    const size_t naming_count = std::max(layers.size(), size_t(options.count));
    std::vector<std::string> files, layer_files;
    for (size_t k = 0; k < layers.size(); ++k) {
        const ReceivedLayer &layer = layers[k];
        std::vector<uint8_t> merged = document.rgba();
        paste(merged, width, layer, layer.composited_rgba);
        std::string path = numbered_path(options.output, k + 1, naming_count);
        std::string write_error = write_pixels(path, width, height, merged, options.compression, &status);
        if (write_error.empty() && options.layer_out) {
            std::vector<uint8_t> alone(size_t(width) * height * 4, 0);
            paste(alone, width, layer, layer.masked_rgba);
            std::string layer_path = numbered_path(*options.layer_out, k + 1, naming_count);
            write_error = write_pixels(layer_path, width, height, alone, options.compression, &status);
            layer_files.push_back(layer_path);
        }
        if (!write_error.empty()) {
            if (!layer.history_path.empty()) write_error += "; the image is kept at " + layer.history_path;
            Failure io = Failure::local(status, write_error + "; the image was received (and billed)");
            io.request_sent = io.may_be_billed = true;
            if (!layer.history_path.empty()) io.history.push_back(layer.history_path);
            return report_failure(io, options.json, progress);
        }
        files.push_back(path);
    }

    if (options.json) {
        nlohmann::ordered_json out = nlohmann::ordered_json::parse(success_json(files, pictor_job_result_json(job.get())));
        if (options.layer_out) out["layer_files"] = layer_files;
        std::fputs((out.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n").c_str(), stdout);
    } else {
        for (const std::string &file : files)
            if (file != "-") std::printf("%s\n", file.c_str()); // stdout holds the image itself
        for (const std::string &file : layer_files)
            if (file != "-") std::printf("%s\n", file.c_str());
    }
    std::fflush(stdout);
    if (layers.size() < size_t(options.count)) {
        progress.print_above("pictor: only " + std::to_string(layers.size()) + " of " +
                             std::to_string(options.count) + " images arrived");
        return kExitFailure;
    }
    return kExitSuccess;
}

} // namespace pictor_cli
