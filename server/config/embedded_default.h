#pragma once
// The configuration stratad uses when started without -f: it serves this host only, from its
// own clock, on an unprivileged port, and needs no root (no pid file, no log files; the
// control socket path is left to stratad). It parses with no warnings. Thread-safe (constant).

namespace strata::config {

extern const char* const kEmbeddedDefaultConfig;

// The name messages use for it, e.g. "<built-in>:7: ...".
inline constexpr const char* kEmbeddedDefaultConfigName = "<built-in>";

}  // namespace strata::config
