#pragma once
// stratad as a whole: configuration in, a serving daemon out. Owns the published server
// state, the access table, the serving engine and the main event loop (signals, periodic
// state refresh). Runs on the main thread; returns the process exit status.

namespace strata::stratad {

int runStratad(int argc, const char* const* argv);

}  // namespace strata::stratad
