#include "server/config/tokenizer.h"

#include <gtest/gtest.h>

namespace strata::config {
namespace {

std::vector<std::vector<std::string>> words(std::string_view text) {
  std::vector<std::vector<std::string>> out;
  for (const auto& line : tokenize(text)) {
    std::vector<std::string> w(line.words.begin(), line.words.end());
    out.push_back(w);
  }
  return out;
}

TEST(Tokenizer, SplitsWordsOnSpacesAndTabs) {
  auto lines = tokenize("server  a.example\tiburst \n");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].number, 1);
  ASSERT_EQ(lines[0].words.size(), 3u);
  EXPECT_EQ(lines[0].words[0], "server");
  EXPECT_EQ(lines[0].words[1], "a.example");
  EXPECT_EQ(lines[0].words[2], "iburst");
}

TEST(Tokenizer, SkipsBlankAndCommentLinesButCountsThem) {
  auto lines = tokenize("# hash\n! bang\n; semi\n% percent\n   # indented\n\n  \t\nport 1\n");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].number, 8);
}

TEST(Tokenizer, TrailingCommentEndsTheLine) {
  EXPECT_EQ(words("allow 10/8 # lab\n"),
            (std::vector<std::vector<std::string>>{{"allow", "10/8"}}));
  EXPECT_EQ(words("rtcsync ;x\n"), (std::vector<std::vector<std::string>>{{"rtcsync"}}));
  // A comment character inside a word is part of the word.
  EXPECT_EQ(words("pidfile /run/a#b\n"),
            (std::vector<std::vector<std::string>>{{"pidfile", "/run/a#b"}}));
}

TEST(Tokenizer, HandlesCrLfAndMissingFinalNewline) {
  auto lines = tokenize("port 1\r\nport 2");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].words[1], "1");
  EXPECT_EQ(lines[1].number, 2);
  EXPECT_EQ(lines[1].words[1], "2");
}

TEST(Tokenizer, KeepsCase) {
  EXPECT_EQ(words("Server Host.Example IBURST"),
            (std::vector<std::vector<std::string>>{{"Server", "Host.Example", "IBURST"}}));
  EXPECT_EQ(toLower("IBurst_X9"), "iburst_x9");
}

TEST(Tokenizer, FlagsOverlongLinesAndNulBytes) {
  std::string text = "port 1\n" + std::string(kMaxLineLength + 1, 'x') + "\nport ";
  text += std::string("2\0", 2);
  text += "\nport 3\n";
  auto lines = tokenize(text);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_FALSE(lines[0].problem);
  ASSERT_TRUE(lines[1].problem);
  EXPECT_EQ(*lines[1].problem, "line longer than 4096 bytes");
  EXPECT_EQ(lines[1].number, 2);
  ASSERT_TRUE(lines[2].problem);
  EXPECT_EQ(*lines[2].problem, "line contains a NUL byte");
  EXPECT_EQ(lines[3].number, 4);
  // Exactly the limit is fine.
  EXPECT_FALSE(tokenize(std::string(kMaxLineLength, 'y'))[0].problem);
}

}  // namespace
}  // namespace strata::config
