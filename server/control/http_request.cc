#include "server/control/http_request.h"

#include <algorithm>
#include <cctype>

namespace strata::server::control {

namespace {

bool isToken(std::string_view s) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '!' || c == '#' ||
           c == '$' || c == '%' || c == '&' || c == '\'' || c == '*' || c == '+' || c == '^' ||
           c == '`' || c == '|' || c == '~';
  });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
           return std::tolower(x) == std::tolower(y);
         });
}

}  // namespace

HttpRequest parseHttpRequest(std::string_view bytes, size_t max_head) {
  HttpRequest r;
  // The head ends with an empty line (CRLF CRLF, or bare LF LF from lenient clients).
  size_t end = bytes.find("\r\n\r\n");
  size_t terminator = 4;
  const size_t lf_end = bytes.find("\n\n");
  if (lf_end != std::string_view::npos && (end == std::string_view::npos || lf_end < end)) {
    end = lf_end;
    terminator = 2;
  }
  if (end == std::string_view::npos) {
    r.status =
        bytes.size() > max_head ? HttpRequest::Status::kTooLarge : HttpRequest::Status::kIncomplete;
    return r;
  }
  if (end + terminator > max_head) {
    r.status = HttpRequest::Status::kTooLarge;
    return r;
  }
  r.head_length = end + terminator;
  std::string_view head = bytes.substr(0, end);
  const size_t line_end = head.find('\n');
  std::string_view line = trim(head.substr(0, line_end));
  std::string_view rest =
      line_end == std::string_view::npos ? std::string_view{} : head.substr(line_end + 1);

  const size_t sp1 = line.find(' ');
  const size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp1 == std::string_view::npos || sp2 == std::string_view::npos ||
      line.find(' ', sp2 + 1) != std::string_view::npos) {
    r.status = HttpRequest::Status::kBad;
    return r;
  }
  const std::string_view method = line.substr(0, sp1);
  const std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::string_view version = line.substr(sp2 + 1);
  if (!isToken(method) || target.empty() || target.front() != '/' ||
      (version != "HTTP/1.1" && version != "HTTP/1.0")) {
    r.status = HttpRequest::Status::kBad;
    return r;
  }
  r.method = std::string(method);
  r.path = std::string(target.substr(0, target.find('?')));

  while (!rest.empty()) {
    const size_t nl = rest.find('\n');
    std::string_view header = trim(rest.substr(0, nl));
    rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
    if (header.empty()) continue;
    const size_t colon = header.find(':');
    if (colon == std::string_view::npos || !isToken(header.substr(0, colon))) {
      r.status = HttpRequest::Status::kBad;
      return r;
    }
    if (equalsIgnoreCase(header.substr(0, colon), "accept")) {
      r.accept = std::string(trim(header.substr(colon + 1)));
    }
  }
  r.status = HttpRequest::Status::kComplete;
  return r;
}

}  // namespace strata::server::control
