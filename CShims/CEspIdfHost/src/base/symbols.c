/*
 * Naming code addresses for defect reports: which function an address lies in, and
 * whether it belongs to the loaded firmware image (CEspIdfHost_setFirmwareImage).
 */
#include "base/base.h"

#include <dlfcn.h>
#include <link.h>
#include <stdio.h>
#include <string.h>


static void *s_firmware_base;

void host_set_firmware_image(const void *address)
{
    Dl_info info;
    if (address != NULL && dladdr(address, &info)) {
        __atomic_store_n(&s_firmware_base, info.dli_fbase, __ATOMIC_RELEASE);
    }
}

bool host_in_firmware(const void *address)
{
    void *base = __atomic_load_n(&s_firmware_base, __ATOMIC_ACQUIRE);
    Dl_info info;
    return base != NULL && dladdr(address, &info) && info.dli_fbase == base;
}

void host_describe_address(const void *address, char *out, size_t size)
{
    Dl_info info;
    const ElfW(Sym) *symbol = NULL;
    if (!dladdr1(address, &info, (void **)&symbol, RTLD_DL_SYMENT)) {
        snprintf(out, size, "%p", address);
        return;
    }
    /* static functions have no dynamic symbol: use a name only when the address lies inside that symbol */
    if (info.dli_sname != NULL && symbol != NULL && (const char *)address >= (const char *)info.dli_saddr &&
        (const char *)address < (const char *)info.dli_saddr + symbol->st_size) {
        snprintf(out, size, "%s", info.dli_sname);
        return;
    }
    const char *file = info.dli_fname != NULL ? strrchr(info.dli_fname, '/') : NULL;
    snprintf(out, size, "%s+0x%lx", file != NULL ? file + 1 : (info.dli_fname != NULL ? info.dli_fname : "?"),
             (unsigned long)((const char *)address - (const char *)info.dli_fbase));
}
