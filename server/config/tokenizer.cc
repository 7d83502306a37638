#include "server/config/tokenizer.h"

namespace strata::config {

namespace {
bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }
}  // namespace

bool isCommentStart(char c) { return c == '#' || c == '!' || c == ';' || c == '%'; }

std::string toLower(std::string_view word) {
  std::string out(word);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::vector<TokenizedLine> tokenize(std::string_view text) {
  std::vector<TokenizedLine> lines;
  int number = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    ++number;
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

    TokenizedLine out;
    out.number = number;
    if (line.size() > kMaxLineLength) {
      out.problem = "line longer than " + std::to_string(kMaxLineLength) + " bytes";
      lines.push_back(std::move(out));
      continue;
    }
    if (line.find('\0') != std::string_view::npos) {
      out.problem = "line contains a NUL byte";
      lines.push_back(std::move(out));
      continue;
    }
    size_t i = 0;
    while (i < line.size()) {
      while (i < line.size() && isSpace(line[i])) ++i;
      if (i == line.size() || isCommentStart(line[i])) break;
      size_t start = i;
      while (i < line.size() && !isSpace(line[i])) ++i;
      out.words.push_back(line.substr(start, i - start));
    }
    if (!out.words.empty()) lines.push_back(std::move(out));
  }
  return lines;
}

}  // namespace strata::config
