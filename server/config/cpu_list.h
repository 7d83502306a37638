#pragma once
// CPU lists as in `workercpus 0-3,6` (the kernel's cpulist format). Pure; thread-safe.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace strata::config {

inline constexpr int kMaxCpuId = 4095;

// "0-3,6" -> {0,1,2,3,6}: sorted, unique. Empty on any syntax error, a reversed range or an id
// above kMaxCpuId.
std::optional<std::vector<int>> parseCpuList(std::string_view text);
// {0,1,2,3,6} -> "0-3,6". Expects a sorted, unique, non-empty list.
std::string formatCpuList(const std::vector<int>& cpus);

}  // namespace strata::config
