#include "image/image_format.hpp"

#include <gtest/gtest.h>

#include <string>

namespace pictor {
namespace {

ImageFormat sniff(const std::string &bytes) {
    return sniff_image_format(reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size());
}

const std::string kPngSignature("\x89PNG\r\n\x1a\n", 8);

TEST(ImageFormat, SniffsEachFormatByMagicBytes) {
    EXPECT_EQ(sniff(kPngSignature + std::string("\0\0\0\rIHDR", 8)), ImageFormat::png);
    EXPECT_EQ(sniff(std::string("\xff\xd8\xff\xe0\x00\x10JFIF", 10)), ImageFormat::jpeg);
    EXPECT_EQ(sniff("\xff\xd8\xff\xdb"), ImageFormat::jpeg);
    EXPECT_EQ(sniff(std::string("RIFF\x24\0\0\0WEBPVP8 ", 16)), ImageFormat::webp);
}

TEST(ImageFormat, ExactMinimumLengths) {
    EXPECT_EQ(sniff(kPngSignature), ImageFormat::png);
    EXPECT_EQ(sniff("\xff\xd8\xff"), ImageFormat::jpeg);
    EXPECT_EQ(sniff(std::string("RIFF\0\0\0\0WEBP", 12)), ImageFormat::webp);
}

TEST(ImageFormat, TooShortBuffersAreUnknown) {
    EXPECT_EQ(sniff(""), ImageFormat::unknown);
    EXPECT_EQ(sniff(kPngSignature.substr(0, 7)), ImageFormat::unknown);
    EXPECT_EQ(sniff("\xff\xd8"), ImageFormat::unknown);
    EXPECT_EQ(sniff(std::string("RIFF\0\0\0\0WEB", 11)), ImageFormat::unknown);
    EXPECT_EQ(sniff_image_format(nullptr, 0), ImageFormat::unknown);
}

TEST(ImageFormat, RiffThatIsNotWebpIsUnknown) {
    EXPECT_EQ(sniff(std::string("RIFF\x24\0\0\0WAVEfmt ", 16)), ImageFormat::unknown);
    EXPECT_EQ(sniff(std::string("RIFF\x24\0\0\0AVI LIST", 16)), ImageFormat::unknown);
    // "WEBP" in the wrong place does not count either.
    EXPECT_EQ(sniff(std::string("RIFFWEBP\0\0\0\0", 12)), ImageFormat::unknown);
}

TEST(ImageFormat, NearMissesAreUnknown) {
    std::string png = kPngSignature;
    png[0] = '\x09'; // the high bit cleared by a 7-bit transfer
    EXPECT_EQ(sniff(png), ImageFormat::unknown);
    EXPECT_EQ(sniff(std::string("\x89PNG\n\x1a\n\0", 8)), ImageFormat::unknown); // CRLF -> LF
    EXPECT_EQ(sniff("<html><body>"), ImageFormat::unknown);
    EXPECT_EQ(sniff("{\"error\":{}}"), ImageFormat::unknown);
    EXPECT_EQ(sniff("\xff\xd9\xff\xe0"), ImageFormat::unknown);
}

TEST(ImageFormat, NamesMimeTypesExtensions) {
    EXPECT_STREQ(image_format_name(ImageFormat::png), "png");
    EXPECT_STREQ(image_format_name(ImageFormat::jpeg), "jpeg");
    EXPECT_STREQ(image_format_name(ImageFormat::webp), "webp");
    EXPECT_STREQ(image_format_name(ImageFormat::unknown), "unknown");
    EXPECT_STREQ(image_format_mime_type(ImageFormat::png), "image/png");
    EXPECT_STREQ(image_format_mime_type(ImageFormat::jpeg), "image/jpeg");
    EXPECT_STREQ(image_format_mime_type(ImageFormat::webp), "image/webp");
    EXPECT_STREQ(image_format_mime_type(ImageFormat::unknown), "application/octet-stream");
    EXPECT_STREQ(image_format_extension(ImageFormat::png), ".png");
    EXPECT_STREQ(image_format_extension(ImageFormat::jpeg), ".jpg");
    EXPECT_STREQ(image_format_extension(ImageFormat::webp), ".webp");
    EXPECT_STREQ(image_format_extension(ImageFormat::unknown), "");
}

TEST(ImageFormat, FromName) {
    EXPECT_EQ(image_format_from_name("png"), ImageFormat::png);
    EXPECT_EQ(image_format_from_name("PNG"), ImageFormat::png);
    EXPECT_EQ(image_format_from_name("jpeg"), ImageFormat::jpeg);
    EXPECT_EQ(image_format_from_name("JpG"), ImageFormat::jpeg);
    EXPECT_EQ(image_format_from_name("WebP"), ImageFormat::webp);
    EXPECT_EQ(image_format_from_name(""), ImageFormat::unknown);
    EXPECT_EQ(image_format_from_name("gif"), ImageFormat::unknown);
    EXPECT_EQ(image_format_from_name("png "), ImageFormat::unknown);
    EXPECT_EQ(image_format_from_name("image/png"), ImageFormat::unknown);
}

TEST(ImageFormat, FromPath) {
    EXPECT_EQ(image_format_from_path("out.png"), ImageFormat::png);
    EXPECT_EQ(image_format_from_path("/tmp/My Photo.JPEG"), ImageFormat::jpeg);
    EXPECT_EQ(image_format_from_path("C:\\images\\a.jpg"), ImageFormat::jpeg);
    EXPECT_EQ(image_format_from_path("a.b.webp"), ImageFormat::webp);
    EXPECT_EQ(image_format_from_path("png"), ImageFormat::unknown);
    EXPECT_EQ(image_format_from_path("archive.png/readme"), ImageFormat::unknown);
    EXPECT_EQ(image_format_from_path("dir.png\\file"), ImageFormat::unknown);
    EXPECT_EQ(image_format_from_path("photo.tiff"), ImageFormat::unknown);
    EXPECT_EQ(image_format_from_path("trailing."), ImageFormat::unknown);
    EXPECT_EQ(image_format_from_path(""), ImageFormat::unknown);
}

} // namespace
} // namespace pictor
