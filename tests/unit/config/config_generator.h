#pragma once
// Random valid configuration text for property tests: every typed directive and option, with
// values drawn across their ranges and in chrony's various number spellings.

#include <random>
#include <string>

namespace strata::config::testing {

class ConfigGenerator {
 public:
  explicit ConfigGenerator(uint64_t seed) : rng_(seed) {}
  // A configuration of up to `max_lines` directive lines.
  std::string config(int max_lines);
  // One random directive line (without newline).
  std::string line();

 private:
  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool coin() { return uniform(0, 1) == 1; }
  std::string integer(int lo, int hi);
  std::string seconds(double max_abs, bool allow_negative);
  std::string real(double lo, double hi);
  std::string address();
  std::string subnet();
  std::string word();
  std::string sourceLine();
  std::string refclockLine();

  std::mt19937_64 rng_;
};

}  // namespace strata::config::testing
