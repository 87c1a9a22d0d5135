// hactl's entry point: picks the personality from argv[0] and runs it.
#include "cmd/dispatch.h"

int main(int argc, char** argv) { return hactl::cmd::run_main(argc, argv); }
