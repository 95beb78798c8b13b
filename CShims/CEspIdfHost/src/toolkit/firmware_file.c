/* The compiled firmware object stays on disk while loaded, so a crash report can symbolise it (base/symbols.c). */
#include "probes/probes.h"

#include "CEspIdfHost.h"

void CEspIdfHost_setFirmwareFile(const char *path, const char *directory)
{
    host_set_firmware_file(path, directory);
}
