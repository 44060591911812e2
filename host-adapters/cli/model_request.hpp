// What the image commands send beyond gpt-image-2's own fields: the model chosen from the
// profile, complexity, --param fields and the --markup overlay (pictor_request's appended fields).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <pictor/pictor.h>

#include "cli_options.hpp"
#include "input_files.hpp"
#include "progress_line.hpp"

namespace pictor_cli {

struct ModelInputs {
    std::vector<pictor_extra_field> fields; // point into options.params
    std::optional<InputFile> markup;
    pictor_input_image markup_image{};
};

// Reads --markup (if any); returns "" or the failure. `markup_limit`: bytes, 0 for any.
std::string read_model_inputs(const ImageOptions &options, uint64_t markup_limit, ModelInputs *inputs);

// Sets the request's model, complexity, extra fields and markup; `inputs` and `options` must
// outlive the request.
void fill_model_request(const ImageOptions &options, const ModelInputs &inputs, pictor_request *request);

// Before sending: says that --param fields go out unchecked.
void warn_unchecked_params(const ImageOptions &options, ProgressLine &progress);

} // namespace pictor_cli
