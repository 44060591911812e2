// Ctrl-C (and SIGTERM, SIGHUP): the first abandons the running request (pictor_client_cancel,
// which only sets a flag and so may be called from a signal handler); a second ends the process
// at once.
#pragma once

#include <pictor/pictor.h>

namespace pictor_cli {

void install_interrupt_handler();
// The client the handler cancels; nullptr when no request runs.
void watch_for_interrupt(pictor_client *client);
bool interrupt_requested();

} // namespace pictor_cli
