#include "server/stratad/daemon.h"

int main(int argc, char** argv) { return strata::stratad::runStratad(argc, argv); }
