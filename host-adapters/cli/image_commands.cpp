#include "image_commands.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>

#include <pictor/pictor.hpp>

#include <nlohmann/json.hpp>

#include "cli_options.hpp"
#include "client_setup.hpp"
#include "exit_status.hpp"
#include "failure_report.hpp"
#include "input_files.hpp"
#include "interrupt.hpp"
#include "json_output.hpp"
#include "model_request.hpp"
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

// The profile's per-file upload limit (from pictor_client_profile_json), 0 when not given.
uint64_t profile_limit(const pictor_client *client, const char *field) {
    nlohmann::json profile = nlohmann::json::parse(pictor_client_profile_json(client), nullptr, false);
    if (!profile.is_object() || !profile.contains(field) || !profile[field].is_number_unsigned()) return 0;
    return profile[field].get<uint64_t>();
}

// Reads every --image and --mask before anything is sent; returns "" or the first failure.
std::string read_edit_inputs(const ImageOptions &options, const pictor_client *client, EditInputs *inputs) {
    std::string error;
    inputs->files.resize(options.images.size());
    // Files over the route's limit are re-encoded by the library to fit, unless --keep-uploads.
    const uint64_t image_limit = profile_limit(client, "max_edit_image_bytes");
    for (size_t i = 0; i < options.images.size(); ++i)
        if (!read_input_file("--image", options.images[i], &inputs->files[i], &error,
                             options.keep_uploads ? image_limit : largest_reencodable_input_bytes))
            return error;
    if (options.mask) {
        inputs->mask.emplace();
        if (!read_input_file("--mask", *options.mask, &*inputs->mask, &error,
                             profile_limit(client, "max_mask_bytes")))
            return error;
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
    fill_request_fields(options, request);
    if (edit) {
        request->images = edit->images.data();
        request->image_count = edit->images.size();
        request->mask = edit->mask ? &edit->mask_image : nullptr;
    }
    request->progress = ProgressLine::callback;
    request->progress_user_data = progress;
    request->partial_images = options.partials;
    // Unset: the user's setting (config "upload_quality"), else lossless.
    request->upload_quality = !options.upload_quality            ? PICTOR_UPLOAD_DEFAULT
                              : *options.upload_quality == "fast" ? PICTOR_UPLOAD_FAST
                                                                  : PICTOR_UPLOAD_LOSSLESS;
    request->keep_uploads = options.keep_uploads;
}

std::string mebibytes(uint64_t bytes) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f MiB", double(bytes) / (1024.0 * 1024.0));
    return text;
}

// Before sending: which files are over the route's limit and will go re-encoded.
void warn_oversized(const ImageOptions &options, const pictor_client *client, const EditInputs &edit,
                    ProgressLine &progress) {
    const uint64_t limit = profile_limit(client, "max_edit_image_bytes");
    if (options.keep_uploads || limit == 0) return;
    for (const InputFile &file : edit.files)
        if (file.bytes.size() > limit)
            progress.print_above("pictor: warning: " + file.path + " is " + mebibytes(file.bytes.size()) +
                                 ", over the " + mebibytes(limit) +
                                 " per image this profile takes: re-encoding it to fit (--keep-uploads "
                                 "refuses instead)");
}

// After: what each re-encoded file went up as ("uploads" in the result JSON).
void report_reencoded(const char *result_json, ProgressLine &progress) {
    nlohmann::json result = nlohmann::json::parse(result_json ? result_json : "", nullptr, false);
    if (!result.is_object() || !result.contains("uploads") || !result["uploads"].is_array()) return;
    for (const auto &entry : result["uploads"]) {
        if (!entry.value("reencoded", false)) continue;
        std::string text = "pictor: warning: sent " + entry.value("name", std::string()) + " as " +
                           entry.value("encoding", std::string()) + ", " +
                           mebibytes(entry.value("bytes", uint64_t(0))) + ", " +
                           std::to_string(entry.value("width", 0)) + "x" + std::to_string(entry.value("height", 0));
        if (entry.value("downscaled", false))
            text += " (scaled down from " + std::to_string(entry.value("source_width", 0)) + "x" +
                    std::to_string(entry.value("source_height", 0)) + ")";
        progress.print_above(text);
    }
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
            // The images arrived, so they are billed: say so, and where they are kept, as
            // fields a script can read, not only in the message.
            const char *request_id = pictor_image_request_id(image);
            *failure = Failure::local(status, error + "; the image was received (and billed)" +
                                                  (request_id && *request_id
                                                       ? std::string(" (request id ") + request_id + ")"
                                                       : std::string()));
            failure->request_sent = failure->may_be_billed = true;
            failure->request_id = request_id ? request_id : "";
            for (size_t k = 0; k < received; ++k) {
                const char *history = pictor_image_history_path(pictor_result_image(result, k));
                if (history && *history) failure->history.push_back(history);
            }
            const char *history = pictor_image_history_path(image);
            failure->message += history && *history ? " and is kept at " + std::string(history)
                                                    : ", but history could not keep it either";
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
    std::string folder_error = check_output_folder(options.output);
    // A transparent image converted to a .jpg file would lose what was paid for.
    if (folder_error.empty() && options.background && *options.background == "transparent" &&
        resolve_output(options.output).kind == OutputTarget::regular_file &&
        format_for_path(resolve_output(options.output).path) == "jpeg")
        folder_error = "JPEG has no transparency; name the file .png or .webp for --background transparent";
    if (!folder_error.empty())
        return report_failure(Failure::local(PICTOR_ERR_INVALID_ARGUMENT,
                                             "cannot write -o " + options.output + ": " + folder_error),
                              options.json, progress);

    Failure failure;
    pictor::client_ptr client = create_client(options, &progress, &failure);
    if (!client) return report_failure(failure, options.json, progress);
    std::optional<EditInputs> edit;
    if (command == ImageCommand::edit) {
        edit.emplace();
        std::string error = read_edit_inputs(options, client.get(), &*edit);
        if (!error.empty())
            return report_failure(Failure::local(PICTOR_ERR_INVALID_ARGUMENT, error), options.json,
                                  progress);
    }

    ModelInputs model_inputs;
    if (std::string error = read_model_inputs(options, profile_limit(client.get(), "max_edit_image_bytes"),
                                              &model_inputs);
        !error.empty())
        return report_failure(Failure::local(PICTOR_ERR_INVALID_ARGUMENT, error), options.json, progress);

    pictor_request request;
    pictor_status status = pictor_request_init(&request);
    if (status != PICTOR_OK)
        return report_failure(Failure::from_library(status, *pictor_thread_last_error()),
                              options.json, progress);
    fill_request(options, edit ? &*edit : nullptr, &progress, &request);
    fill_model_request(options, model_inputs, &request);
    PartialPreviews previews(options.save_partials, &progress);
    if (options.partials > 0) {
        std::string error = previews.prepare();
        if (!error.empty())
            return report_failure(Failure::local(PICTOR_ERR_INVALID_ARGUMENT, error), options.json,
                                  progress);
        request.partial_image = PartialPreviews::callback;
        request.partial_image_user_data = &previews;
    }

    // A person at a terminal sees what it will cost before the money goes (scripts get
    // cost_usd_estimate in --json instead, on success and on failure alike).
    double estimate = -1;
    const bool checked = pictor_estimate_cost(client.get(), &request, command == ImageCommand::edit, &estimate) == PICTOR_OK;
    if (!checked) estimate = -1;
    if (progress.live() && checked && estimate < 0)
        progress.print_above("pictor: cost unknown: the profile states no price for this model");
    if (progress.live() && estimate >= 0) {
        nlohmann::json profile = nlohmann::json::parse(pictor_client_profile_json(client.get()), nullptr, false);
        char cost[32];
        std::snprintf(cost, sizeof cost, estimate >= 0.01 ? "$%.2f" : "$%.2g", estimate);
        progress.print_above("pictor: about " + std::string(cost) + " for " + std::to_string(options.count) +
                             (options.count == 1 ? " image" : " images") + " on " +
                             profile.value("name", std::string("this profile")));
    }

    if (edit) warn_oversized(options, client.get(), *edit, progress);
    if (checked) warn_unchecked_params(options, progress);
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
    if (status != PICTOR_OK || !result) {
        Failure failed = Failure::from_library(status != PICTOR_OK ? status : PICTOR_ERR_INTERNAL,
                                               *pictor_client_last_error(client.get()));
        failed.cost_usd_estimate = estimate;
        return report_failure(failed, options.json, progress);
    }

    const size_t received = pictor_result_image_count(result.get());
    if (received == 0) {
        Failure empty = Failure::local(PICTOR_ERR_BAD_RESPONSE,
                                       "the server answered without an image, and the request may "
                                       "still be billed; try again, or another --profile if it keeps "
                                       "happening");
        empty.request_sent = empty.may_be_billed = true;
        return report_failure(empty, options.json, progress);
    }
    // Before the files: a history that could not be written matters most when they fail too.
    for (const std::string &warning : result_warnings(pictor_result_json(result.get())))
        progress.print_above("pictor: warning: " + warning);
    report_reencoded(pictor_result_json(result.get()), progress);
    std::vector<std::string> files = write_results(options, result.get(), &failure);
    if (files.empty()) return report_failure(failure, options.json, progress);

    if (options.json) {
        std::fputs((success_json(files, pictor_result_json(result.get())) + "\n").c_str(), stdout);
    } else {
        for (const std::string &file : files)
            if (file != "-") std::printf("%s\n", file.c_str()); // stdout holds the image itself
    }
    std::fflush(stdout);

    // Interrupted while other variations ran: the images that came are written (and were in
    // history the moment they arrived); the ones abandoned may still be generated and billed.
    if (received < static_cast<size_t>(options.count) && interrupt_requested()) {
        progress.print_above("pictor: interrupted: " + std::to_string(received) + " of " +
                             std::to_string(options.count) +
                             " images arrived and are written; the rest was abandoned, but the "
                             "server may still bill it");
        return kExitInterrupted;
    }
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
