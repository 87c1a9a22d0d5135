// The crm_simulate personality and `hactl simulate`: run the scheduler on a
// CIB file, optionally inject events, show scores, the Transition Summary and
// the revised status (text like crm_simulate, or JSON: docs/json-output-simulate.md).
#pragma once

namespace hactl::cmd {
int run_simulate(int argc, char** argv);
}
