// pictor edit: the upload the gateway sees, and unreadable inputs.
#include <gtest/gtest.h>

#include "cli_fixture.hpp"

namespace pictor_test {
namespace {

using nlohmann::json;

TEST_F(PictorCli, EditSendsEveryImageAndTheMaskWithTheirTypes) {
    const std::string first = dir_ + "/in/room.png";
    const std::string second = dir_ + "/in/sofa.jpg";
    const std::string mask = dir_ + "/in/mask.png";
    write_file(first, encode_test_image(96, 64, "png", false));
    write_file(second, encode_test_image(80, 80, "jpeg", false));
    write_file(mask, encode_test_image(96, 64, "png", true));

    ProcessResult r = pictor(std::vector<std::string>{"edit", "put the sofa in the room", "--image", first,
                                                      "--image", second, "--mask", mask, "-o",
                                                      out("room.png")} + route("openai"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, out("room.png") + "\n");
    EXPECT_TRUE(file_exists(out("room.png")));

    json log = mock_->api_requests();
    ASSERT_EQ(log.size(), 1u);
    EXPECT_EQ(log[0]["endpoint"], "edits");
    std::vector<json> images, masks;
    for (const json &file : log[0]["files"]) {
        if (file["name"] == "image[]") images.push_back(file);
        if (file["name"] == "mask") masks.push_back(file);
    }
    ASSERT_EQ(images.size(), 2u) << log[0]["files"].dump();
    EXPECT_EQ(images[0]["filename"], "room.png");
    EXPECT_EQ(images[0]["content_type"], "image/png");
    EXPECT_EQ(images[0]["sha256"], sha256_of_file(first));
    EXPECT_EQ(images[1]["filename"], "sofa.jpg");
    EXPECT_EQ(images[1]["content_type"], "image/jpeg");
    EXPECT_EQ(images[1]["sha256"], sha256_of_file(second));
    ASSERT_EQ(masks.size(), 1u);
    EXPECT_EQ(masks[0]["content_type"], "image/png");
    EXPECT_EQ(masks[0]["sha256"], sha256_of_file(mask));
    EXPECT_EQ(log[0]["fields"]["prompt"], "put the sofa in the room");
}

TEST_F(PictorCli, UnreadableImageExitsTwoAndSaysWhich) {
    const std::string missing = dir_ + "/in/cat.png";
    ProcessResult r = pictor(std::vector<std::string>{"edit", "make it blue", "--image", missing, "-o",
                                                      out("blue.png")} + route("openai"));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("cannot read --image " + missing + ": No such file or directory"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(mock_->requests().size(), 0u);
}

// A file that is not an image is the user's to fix: refused before sending, in the documented
// --json kinds, with what to do.
TEST_F(PictorCli, ImageThatIsNotAnImageIsRefusedBeforeSending) {
    const std::string notes = dir_ + "/in/notes.png";
    write_file(notes, "shopping list: eggs\n");
    ProcessResult r = pictor(std::vector<std::string>{"edit", "make it blue", "--image", notes, "--json", "-o",
                                                      out("blue.png")} + route("openai"));
    EXPECT_EQ(r.exit_code, 2) << r.err;
    json error = single_json_object(r.out)["error"];
    EXPECT_EQ(error["kind"], "invalid_request");
    EXPECT_EQ(error["may_be_billed"], false);
    const std::string message = error["message"];
    EXPECT_NE(message.find("notes.png is not a PNG, JPEG or WebP image"), std::string::npos) << message;
    EXPECT_NE(message.find("save it as PNG"), std::string::npos) << message;
    EXPECT_EQ(message.find("server"), std::string::npos) << "a local file is not the server's doing: " << message;
    EXPECT_EQ(mock_->requests().size(), 0u);
    EXPECT_FALSE(file_exists(out("blue.png")));
}

TEST_F(PictorCli, UnreadableMaskExitsTwoAndSaysWhich) {
    const std::string image = dir_ + "/in/room.png";
    write_file(image, encode_test_image(64, 64, "png", false));
    ProcessResult r = pictor(std::vector<std::string>{"edit", "x", "--image", image, "--mask",
                                                      dir_ + "/in", "-o", out("x.png")} + route("openai"));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("cannot read --mask " + dir_ + "/in: Is a directory"), std::string::npos)
        << r.err;
    EXPECT_EQ(mock_->requests().size(), 0u);
}

} // namespace
} // namespace pictor_test
