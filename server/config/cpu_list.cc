#include "server/config/cpu_list.h"

#include <algorithm>

#include "server/config/numbers.h"

namespace strata::config {

namespace {
std::optional<int> cpuId(std::string_view text) {
  // Digits only: no sign, no "+".
  if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  auto v = parseInteger(text);
  if (!v || *v > kMaxCpuId) return std::nullopt;
  return static_cast<int>(*v);
}
}  // namespace

std::optional<std::vector<int>> parseCpuList(std::string_view text) {
  std::vector<bool> seen(kMaxCpuId + 1, false);
  if (text.empty()) return std::nullopt;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t comma = text.find(',', pos);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view item = text.substr(pos, comma - pos);
    size_t dash = item.find('-');
    auto first = cpuId(item.substr(0, dash));
    auto last = dash == std::string_view::npos ? first : cpuId(item.substr(dash + 1));
    if (!first || !last || *first > *last) return std::nullopt;
    for (int c = *first; c <= *last; ++c) seen[static_cast<size_t>(c)] = true;
    pos = comma + 1;
  }
  std::vector<int> cpus;
  for (int c = 0; c <= kMaxCpuId; ++c) {
    if (seen[static_cast<size_t>(c)]) cpus.push_back(c);
  }
  return cpus;
}

std::string formatCpuList(const std::vector<int>& cpus) {
  std::string out;
  for (size_t i = 0; i < cpus.size();) {
    size_t j = i;
    while (j + 1 < cpus.size() && cpus[j + 1] == cpus[j] + 1) ++j;
    if (!out.empty()) out += ',';
    out += std::to_string(cpus[i]);
    if (j > i) out += '-' + std::to_string(cpus[j]);
    i = j + 1;
  }
  return out;
}

}  // namespace strata::config
