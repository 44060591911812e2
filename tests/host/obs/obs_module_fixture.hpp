// The fixture of the libobs tests: a private environment, the mock gateway, libobs headless
// with the color source and the pictor module from the build tree.
#pragma once

#include "gpu_readback.hpp"
#include "headless_obs.hpp"
#include "private_environment.hpp"

#include "mock_gateway_process.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace pictor_obs_test {

class ObsModuleTest : public ::testing::Test {
protected:
    void SetUp() override;
    void TearDown() override;
    // Between the private environment and the mock starting and OBS starting: what a test needs
    // to be there before the module loads (history written while OBS was away).
    virtual void before_obs_starts() {}

    // A Pictor Image source pointing at the mock's openai route (with a scenario, optional).
    obs_source_t *create_image_source(const std::string &name, const std::string &scenario = "");
    // A color source of the given size (OBS's own, from obs-studio's image-source module).
    obs_source_t *create_color_source(uint32_t width, uint32_t height, uint32_t abgr);
    // A restart: saves the source (with its filters) as the scene collection does, releases it
    // (the caller's last reference), waits until OBS destroyed it, forgets the mock's requests,
    // and loads it back from the save. The loaded source is shown on channel 0; nullptr if
    // it does not come back.
    obs_source_t *reload_after_restart(obs_source_t *source);
    // The source's settings as OBS saves them into the scene collection.
    std::string saved_settings_json(obs_source_t *source);
    // An image file decoded by PIL (not by libpictor, whose output is under test), as Pixels.
    Pixels decode_file(const std::string &path);
    // Fails the test if the key appears in the text.
    void expect_no_key(const std::string &text, const char *where);

    std::unique_ptr<PrivateEnvironment> env_;
    std::unique_ptr<pictor_test::MockGatewayProcess> mock_;
    std::unique_ptr<HeadlessObs> obs_;
};

} // namespace pictor_obs_test
