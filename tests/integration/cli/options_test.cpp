// Usage: bad options exit 2 before anything is sent; help and version.
#include <gtest/gtest.h>

#include <pictor/pictor.h>

#include "cli_fixture.hpp"

namespace pictor_test {
namespace {

struct BadUsage {
    const char *name;
    std::vector<std::string> args;  // "OUT" stands for the output path, "OUTDIR" for its folder
    const char *says;               // a piece of the message on stderr
};

// Names the case in test output instead of dumping its bytes.
void PrintTo(const BadUsage &usage, std::ostream *out) { *out << usage.name; }

class PictorCliBadUsage : public PictorCli, public ::testing::WithParamInterface<BadUsage> {};

TEST_P(PictorCliBadUsage, ExitsTwoAndSendsNothing) {
    std::vector<std::string> args;
    for (const std::string &arg : GetParam().args)
        args.push_back(arg == "OUT" ? out("cat.png") : arg == "OUTDIR" ? dir_ + "/out" : arg);
    if (!args.empty() && (args[0] == "generate" || args[0] == "edit")) args = args + route("openai");
    ProcessResult r = pictor(args);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find(GetParam().says), std::string::npos) << r.err;
    EXPECT_EQ(mock_->requests().size(), 0u);
    EXPECT_TRUE(output_folder_names().empty());
}

const BadUsage kBadUsages[] = {
    {"NoArguments", {}, "usage: pictor COMMAND"},
    {"UnknownCommand", {"paint"}, "unknown command 'paint'"},
    {"MissingOutput", {"generate", "a cat"}, "missing -o FILE"},
    {"MissingPrompt", {"generate", "-o", "OUT"}, "missing PROMPT"},
    {"TwoPrompts", {"generate", "a", "cat", "-o", "OUT"}, "unexpected argument 'cat'"},
    {"UnknownOption", {"generate", "a cat", "-o", "OUT", "--colour", "red"}, "unknown option --colour"},
    {"OptionWithoutValue", {"generate", "a cat", "-o", "OUT", "--size"}, "--size needs a value"},
    // Which qualities and formats a model takes is its profile entry's: refused by the library.
    {"BadQuality", {"generate", "a cat", "-o", "OUT", "--quality", "ultra"}, "cannot set quality ultra"},
    {"BadFormat", {"generate", "a cat", "-o", "OUT", "--format", "gif"}, "does not make gif"},
    {"BadBackground", {"generate", "a cat", "-o", "OUT", "--background", "green"}, "--background must be"},
    {"BadModeration", {"generate", "a cat", "-o", "OUT", "--moderation", "high"}, "--moderation must be"},
    {"CountZero", {"generate", "a cat", "-o", "OUT", "-n", "0"}, "-n must be"},
    {"CountTooLarge", {"generate", "a cat", "-o", "OUT", "-n", "11"}, "-n must be"},
    {"CountNotANumber", {"generate", "a cat", "-o", "OUT", "-n", "two"}, "-n must be"},
    {"CompressionTooLarge", {"generate", "a cat", "-o", "OUT", "--compression", "101"}, "--compression must be"},
    {"SizeSpelling", {"generate", "a cat", "-o", "OUT", "--size", "1024*1024"}, "--size must be"},
    {"NegativeTimeout", {"generate", "a cat", "-o", "OUT", "--timeout", "-5"}, "--timeout must be"},
    {"MaskOnGenerate", {"generate", "a cat", "-o", "OUT", "--mask", "m.png"}, "unknown option --mask"},
    {"OutputIsAFolder", {"generate", "a cat", "-o", "OUTDIR"}, "it is a folder"},
    {"EditWithoutImage", {"edit", "make it blue", "-o", "OUT"}, "at least one --image"},
};

INSTANTIATE_TEST_SUITE_P(Options, PictorCliBadUsage, ::testing::ValuesIn(kBadUsages),
                         [](const auto &info) { return std::string(info.param.name); });

TEST_F(PictorCli, UsageErrorIsJsonWithJson) {
    ProcessResult r = pictor(std::vector<std::string>{"generate", "a cat", "--json", "-o", out("cat.png"),
                                                      "--compression", "101"});
    EXPECT_EQ(r.exit_code, 2);
    nlohmann::json error = single_json_object(r.out)["error"];
    EXPECT_EQ(error["kind"], "invalid_request") << "bad usage is one of the documented kinds";
    EXPECT_EQ(error["status"], 0);
    EXPECT_NE(error["message"].get<std::string>().find("--compression"), std::string::npos);
}

TEST_F(PictorCli, HelpForEveryCommand) {
    for (const std::vector<std::string> &args :
         {std::vector<std::string>{"--help"}, {"generate", "--help"}, {"edit", "--help"}}) {
        ProcessResult r = pictor(args);
        EXPECT_EQ(r.exit_code, 0) << args.back();
        EXPECT_EQ(r.out.rfind("usage: pictor", 0), 0u) << r.out;
        EXPECT_EQ(r.err, "");
    }
    ProcessResult edit_help = pictor({"edit", "--help"});
    EXPECT_NE(edit_help.out.find("--mask FILE"), std::string::npos);
    EXPECT_NE(edit_help.out.find("--image FILE"), std::string::npos);
}

TEST_F(PictorCli, VersionIsTheLibrarys) {
    ProcessResult r = pictor({"--version"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.out, std::string("pictor ") + pictor_version_string() + "\n");
    // This test is built with the same header and library as the binary: no mismatch warning.
    EXPECT_EQ(r.err, "");
}

} // namespace
} // namespace pictor_test
