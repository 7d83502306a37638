// Precompiled header for the project's libraries and programs (see cmake/precompiled_headers.cmake):
// the standard library and third-party headers that most translation units include. Parsing
// them once per target instead of once per file roughly halves build time.
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include <spdlog/spdlog.h>
