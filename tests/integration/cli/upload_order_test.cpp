// pictor edit with several --image: each part the gateway receives is, byte for byte, the file
// given at that position (the mock hands every part back as sent).
#include <gtest/gtest.h>

#include "cli_fixture.hpp"

namespace pictor_test {
namespace {

using nlohmann::json;

TEST_F(PictorCli, EditSendsTheImagesInTheOrderGivenAndTheMaskLast) {
    // Different sizes and formats, so no two inputs are alike.
    const std::vector<std::pair<std::string, std::string>> inputs = {
        {dir_ + "/in/scene.png", encode_test_image(120, 80, "png", false)},
        {dir_ + "/in/chair.jpg", encode_test_image(64, 48, "jpeg", false)},
        {dir_ + "/in/lamp.webp", encode_test_image(40, 72, "webp", false)},
        {dir_ + "/in/rug.png", encode_test_image(96, 32, "png", false)},
    };
    const std::string mask = dir_ + "/in/hole.png";
    write_file(mask, encode_test_image(120, 80, "png", true));
    std::vector<std::string> args = {"edit", "furnish the room"};
    for (const auto &[path, bytes] : inputs) {
        write_file(path, bytes);
        args.insert(args.end(), {"--image", path});
    }
    args.insert(args.end(), {"--mask", mask, "-o", out("room.png")});
    ProcessResult r = pictor(args + route("laozhang-official"));
    ASSERT_EQ(r.exit_code, 0) << r.err;

    json log = mock_->api_requests();
    ASSERT_EQ(log.size(), 1u);
    const json &files = log[0]["files"];
    ASSERT_EQ(files.size(), inputs.size() + 1) << files.dump();
    for (size_t i = 0; i < inputs.size(); ++i) {
        EXPECT_EQ(files[i]["name"], "image[]");
        EXPECT_EQ(files[i]["index"], i);
        EXPECT_TRUE(mock_->get(files[i]["fetch"].get<std::string>()) == inputs[i].second)
            << "image[] " << i << " is not " << inputs[i].first;
    }
    EXPECT_EQ(files.back()["name"], "mask");
    EXPECT_TRUE(mock_->get(files.back()["fetch"].get<std::string>()) == read_file(mask));
}

} // namespace
} // namespace pictor_test
