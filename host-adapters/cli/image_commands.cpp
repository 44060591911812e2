#include "image_commands.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>

#include <pictor/pictor.hpp>

#include "cli_options.hpp"
#include "client_setup.hpp"
#include "exit_status.hpp"
#include "failure_report.hpp"
#include "input_files.hpp"
#include "interrupt.hpp"
#include "json_output.hpp"
#include "output_files.hpp"
#include "partial_previews.hpp"
#include "progress_line.hpp"

namespace pictor_cli {

namespace {

struct EditInputs {
    std::vector<InputFile> files;
    std::optional<InputFile> mask;
    std::vector<pictor_input_image> images;  // point into `files`
    pictor_input_image mask_image{};
};

// Reads every --image and --mask before anything is sent; returns "" or the first failure.
std::string read_edit_inputs(const ImageOptions &options, EditInputs *inputs) {
    std::string error;
    inputs->files.resize(options.images.size());
    for (size_t i = 0; i < options.images.size(); ++i)
        if (!read_input_file("--image", options.images[i], &inputs->files[i], &error)) return error;
    if (options.mask) {
        inputs->mask.emplace();
        if (!read_input_file("--mask", *options.mask, &*inputs->mask, &error)) return error;
    }
    for (const InputFile &file : inputs->files)
        inputs->images.push_back({file.bytes.data(), file.bytes.size(), file.basename.c_str()});
    if (inputs->mask)
        inputs->mask_image = {inputs->mask->bytes.data(), inputs->mask->bytes.size(),
                              inputs->mask->basename.c_str()};
    return "";
}

void fill_request(const ImageOptions &options, EditInputs *edit, ProgressLine *progress,
                  pictor_request *request) {
    request->prompt = options.prompt.c_str();
    request->size = or_null(options.size);
    request->quality = or_null(options.quality);
    request->output_format = or_null(options.format);
    request->output_compression = options.compression;
    request->background = or_null(options.background);
    request->moderation = or_null(options.moderation);
    request->n = options.count;
    request->timeout_s = options.timeout_s;
    if (edit) {
        request->images = edit->images.data();
        request->image_count = edit->images.size();
        request->mask = edit->mask ? &edit->mask_image : nullptr;
    }
    request->progress = ProgressLine::callback;
    request->progress_user_data = progress;
    request->partial_images = options.partials;
}

// Writes each image of the result; returns the paths written, or fills *failure.
std::vector<std::string> write_results(const ImageOptions &options, const pictor_result *result,
                                       Failure *failure) {
    std::vector<std::string> written;
    const size_t received = pictor_result_image_count(result);
    // Numbered names as soon as more than one image is asked for or arrives, so none overwrites
    // another.
    const size_t naming_count = std::max(received, static_cast<size_t>(options.count));
    for (size_t i = 0; i < received; ++i) {
        const pictor_image *image = pictor_result_image(result, i);
        const std::string path = numbered_path(options.output, i + 1, naming_count);
        pictor_status status = PICTOR_OK;
        std::string error = write_image(image, path, options.compression, &status);
        if (!error.empty()) {
            const char *history = pictor_image_history_path(image);
            if (history && *history) error += "; the image is kept at " + std::string(history);
            *failure = Failure::local(status, error);
            failure->request_sent = true;
            return {};
        }
        written.push_back(path);
    }
    return written;
}

int run_image_command(const std::vector<std::string> &args, ImageCommand command) {
    ParsedImageOptions parsed = parse_image_options(args, command);
    if (parsed.help) {
        std::fputs(image_command_help(command).c_str(), stdout);
        return kExitSuccess;
    }
    const ImageOptions &options = parsed.options;
    ProgressLine progress(stderr, !options.json);
    if (!parsed.error.empty()) {
        int status = report_failure(Failure::local(PICTOR_ERR_INVALID_ARGUMENT, parsed.error),
                                    options.json, progress);
        std::fputs(image_command_usage(command).c_str(), stderr);
        return status;
    }
    install_interrupt_handler();

    // Everything that can be checked locally is, before a paid request goes out.
    std::optional<EditInputs> edit;
    if (command == ImageCommand::edit) {
        edit.emplace();
        std::string error = read_edit_inputs(options, &*edit);
        if (!error.empty())
            return report_failure(Failure::local(PICTOR_ERR_INVALID_ARGUMENT, error), options.json,
                                  progress);
    }
    std::string folder_error = check_output_folder(options.output);
    if (!folder_error.empty())
        return report_failure(Failure::local(PICTOR_ERR_INVALID_ARGUMENT,
                                             "cannot write -o " + options.output + ": " + folder_error),
                              options.json, progress);

    Failure failure;
    pictor::client_ptr client = create_client(options, &progress, &failure);
    if (!client) return report_failure(failure, options.json, progress);

    pictor_request request;
    pictor_status status = pictor_request_init(&request);
    if (status != PICTOR_OK)
        return report_failure(Failure::from_library(status, *pictor_thread_last_error()),
                              options.json, progress);
    fill_request(options, edit ? &*edit : nullptr, &progress, &request);
    PartialPreviews previews(options.save_partials, &progress);
    if (options.partials > 0) {
        std::string error = previews.prepare();
        if (!error.empty())
            return report_failure(Failure::local(PICTOR_ERR_INVALID_ARGUMENT, error), options.json,
                                  progress);
        request.partial_image = PartialPreviews::callback;
        request.partial_image_user_data = &previews;
    }

    if (interrupt_requested())
        return report_failure(Failure::local(PICTOR_ERR_CANCELLED, "interrupted"), options.json,
                              progress);
    pictor_result *raw_result = nullptr;
    watch_for_interrupt(client.get());
    status = command == ImageCommand::edit ? pictor_edit(client.get(), &request, &raw_result)
                                           : pictor_generate(client.get(), &request, &raw_result);
    watch_for_interrupt(nullptr);
    pictor::result_ptr result(raw_result);
    progress.finish();
    if (status != PICTOR_OK || !result)
        return report_failure(
            Failure::from_library(status != PICTOR_OK ? status : PICTOR_ERR_INTERNAL,
                                  *pictor_client_last_error(client.get())),
            options.json, progress);

    const size_t received = pictor_result_image_count(result.get());
    if (received == 0) {
        Failure empty = Failure::local(PICTOR_ERR_BAD_RESPONSE,
                                       "the server answered without an image; try again, or "
                                       "another --profile if it keeps happening");
        empty.request_sent = empty.may_be_billed = true;
        return report_failure(empty, options.json, progress);
    }
    std::vector<std::string> files = write_results(options, result.get(), &failure);
    if (files.empty()) return report_failure(failure, options.json, progress);

    if (options.json) {
        std::fputs((success_json(files, pictor_result_json(result.get())) + "\n").c_str(), stdout);
    } else {
        for (const std::string &file : files) std::printf("%s\n", file.c_str());
    }
    std::fflush(stdout);

    for (const std::string &warning : result_warnings(pictor_result_json(result.get())))
        progress.print_above("pictor: warning: " + warning);

    // Some parallel variations failed: the images that came are written, the rest is reported.
    if (received < static_cast<size_t>(options.count)) {
        for (const std::string &message : result_error_messages(pictor_result_json(result.get())))
            progress.print_above("pictor: a variation failed: " + message);
        progress.print_above("pictor: only " + std::to_string(received) + " of " +
                             std::to_string(options.count) + " images arrived");
        return kExitFailure;
    }
    return kExitSuccess;
}

} // namespace

int run_generate(const std::vector<std::string> &args) {
    return run_image_command(args, ImageCommand::generate);
}

int run_edit(const std::vector<std::string> &args) {
    return run_image_command(args, ImageCommand::edit);
}

} // namespace pictor_cli
