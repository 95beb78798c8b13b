/*
 * Naming code addresses for defect reports: which function an address lies in, and
 * whether it belongs to the loaded firmware image (CEspIdfHost_setFirmwareImage); the
 * function and source line of a firmware address from its DWARF (addr2line), which is
 * why the compiled object stays on disk while it is loaded.
 */
#include "base/base.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>


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

// MARK: - The firmware's file on disk: kept while loaded (for symbolising a crash), removed at exit

static char s_firmware_file[1024];
static char s_firmware_directory[1024];

/* Async-signal-safe: a crash report removes the file after using it. */
void host_remove_firmware_file(void)
{
    if (s_firmware_file[0] != '\0') {
        unlink(s_firmware_file);
        s_firmware_file[0] = '\0';
        if (s_firmware_directory[0] != '\0') {
            rmdir(s_firmware_directory);
        }
    }
}

void host_set_firmware_file(const char *path, const char *directory)
{
    static bool registered;
    snprintf(s_firmware_file, sizeof s_firmware_file, "%s", path != NULL ? path : "");
    snprintf(s_firmware_directory, sizeof s_firmware_directory, "%s", directory != NULL ? directory : "");
    if (!registered) {
        registered = true;
        atexit(host_remove_firmware_file);
    }
}

/* Runs `addr2line -f -C -e object offset` and reads its two lines (function, file:line).  Only fork, execv,
 * read and waitpid: callable from the crash handler. */
static bool run_addr2line(const char *object, uintptr_t offset, char *out, size_t size)
{
    static const char tool[] = "/usr/bin/addr2line";
    if (access(tool, X_OK) != 0 || access(object, R_OK) != 0) {
        return false;
    }
    char hex[2 + 2 * sizeof(uintptr_t) + 1] = "0x";
    static const char digits[] = "0123456789abcdef";
    int n = 0;
    char reversed[2 * sizeof(uintptr_t)];
    do {
        reversed[n++] = digits[offset & 15];
        offset >>= 4;
    } while (offset != 0);
    for (int i = 0; i < n; i++) {
        hex[2 + i] = reversed[n - 1 - i];
    }
    hex[2 + n] = '\0';
    int fds[2];
    if (pipe(fds) != 0) {
        return false;
    }
    const pid_t child = fork();
    if (child == 0) {
        dup2(fds[1], STDOUT_FILENO);
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) {
            dup2(null, STDERR_FILENO);
        }
        char *const argv[] = {(char *)"addr2line", (char *)"-f", (char *)"-C", (char *)"-e", (char *)object, hex, NULL};
        execv(tool, argv);
        _exit(127);
    }
    close(fds[1]);
    char text[768];
    size_t got = 0;
    if (child > 0) {
        ssize_t r;
        while (got < sizeof text - 1 && (r = read(fds[0], text + got, sizeof text - 1 - got)) > 0) {
            got += (size_t)r;
        }
        waitpid(child, NULL, 0);
    }
    close(fds[0]);
    text[got] = '\0';
    char *function = text, *newline = strchr(text, '\n');
    if (newline == NULL) {
        return false;
    }
    *newline = '\0';
    char *line = newline + 1;
    char *end = strchr(line, '\n');
    if (end != NULL) {
        *end = '\0';
    }
    char *discriminator = strstr(line, " (discriminator");
    if (discriminator != NULL) {
        *discriminator = '\0';
    }
    if (strcmp(function, "??") == 0 && strncmp(line, "??", 2) == 0) {
        return false;
    }
    const char *base = strrchr(line, '/');
    snprintf(out, size, "%s at %s", function, base != NULL ? base + 1 : line);
    return true;
}

bool host_symbolize(const void *address, char *out, size_t size)
{
    Dl_info info;
    if (!dladdr(address, &info) || info.dli_fname == NULL) {
        return false;
    }
    const char *file = info.dli_fname;
    if (strcmp(file, s_firmware_file) != 0 && (file[0] != '/' || strstr(file, ".so") == NULL)) {
        return false;   /* the executable itself: dladdr's name is enough */
    }
    return run_addr2line(file, (uintptr_t)address - (uintptr_t)info.dli_fbase, out, size);
}
