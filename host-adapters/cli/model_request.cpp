#include "model_request.hpp"

namespace pictor_cli {

std::string read_model_inputs(const ImageOptions &options, uint64_t markup_limit, ModelInputs *inputs) {
    for (const auto &[name, json] : options.params)
        inputs->fields.push_back({name.c_str(), json.c_str()});
    if (!options.markup) return "";
    std::string error;
    inputs->markup.emplace();
    if (!read_input_file("--markup", *options.markup, &*inputs->markup, &error, markup_limit)) return error;
    inputs->markup_image = {inputs->markup->bytes.data(), inputs->markup->bytes.size(),
                            inputs->markup->basename.c_str()};
    return "";
}

void fill_model_request(const ImageOptions &options, const ModelInputs &inputs, pictor_request *request) {
    request->model = or_null(options.model);
    request->complexity = or_null(options.complexity);
    request->extra_fields = inputs.fields.empty() ? nullptr : inputs.fields.data();
    request->extra_field_count = inputs.fields.size();
    request->markup = inputs.markup ? &inputs.markup_image : nullptr;
}

void warn_unchecked_params(const ImageOptions &options, ProgressLine &progress) {
    for (const auto &[name, json] : options.params)
        progress.print_above("pictor: warning: --param " + name + "=" + json +
                             " is sent as given: pictor cannot check it, and the route may reject it or "
                             "bill it");
}

} // namespace pictor_cli
