#pragma once
// Splits configuration text into lines of words. Pure; thread-safe.
//
// Rules (chrony's, plus trailing comments):
//  - Lines end at '\n'; a '\r' before it is dropped. Line numbers start at 1.
//  - Words are separated by spaces and tabs (also '\r', '\v', '\f').
//  - A word starting with '#', '!', ';' or '%' starts a comment that runs to the end of the
//    line. chrony recognises only whole-line comments; Strata also accepts trailing ones
//    (chrony rejects such lines, so no valid chrony.conf changes meaning).
//  - Words keep their case; directive and option names are matched case-insensitively by
//    the parser.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace strata::config {

inline constexpr size_t kMaxLineLength = 4096;  // bytes, without the line end

struct TokenizedLine {
  int number = 0;                       // 1-based
  std::vector<std::string_view> words;  // views into the text given to tokenize()
  // Set when the line cannot be used ("line longer than 4096 bytes", "contains a NUL
  // byte"); words is then empty.
  std::optional<std::string> problem;
};

// Lines that hold at least one word or have a problem; blank and comment lines are skipped.
// The views stay valid as long as `text` does.
std::vector<TokenizedLine> tokenize(std::string_view text);

bool isCommentStart(char c);

// ASCII lower-case copy, for case-insensitive matching of names.
std::string toLower(std::string_view word);

}  // namespace strata::config
