// Source "Pictor Image" (pictor_image_source): a prompt, a Generate button, the image as a
// texture once it arrives. The last image is restored from pictor's history when the scene
// collection loads — decoded from disk, never requested (and billed) again.
#pragma once

namespace pictor_obs {

void register_image_source();

} // namespace pictor_obs
