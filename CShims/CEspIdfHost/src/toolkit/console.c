/* The UART0 console (`--console`): the log writer's lines also go to the Swift console server. */
#include "probes/probes.h"

#include <stdio.h>

#include "CEspIdfHost.h"

void CEspIdfHost_setConsoleSink(void (*sink)(const char *text, size_t len))
{
    if (sink != NULL) {
        /* stdout now goes into a pipe: line-buffered, so a printf line reaches the console when printed, as on a
         * chip's UART, instead of when a 4 KiB buffer fills */
        setvbuf(stdout, NULL, _IOLBF, 0);
    }
    host_log_set_console(sink);
}
