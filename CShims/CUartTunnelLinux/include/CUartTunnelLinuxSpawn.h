// Starting and waiting for child processes, for the checks (devices, bridges, ping, curl) and the CLI.
// Foundation's Process puts each child in a process group of its own and offers no PR_SET_PDEATHSIG, so a
// check that is interrupted or killed left its children running; these helpers start a child that stays in
// the caller's process group (a terminal's Ctrl-C reaches it too) and dies with its parent.
#ifndef CUARTTUNNELLINUX_SPAWN_H
#define CUARTTUNNELLINUX_SPAWN_H

#include <sys/types.h>

/// fork + execve of `path` with `argv` and `envp` (NULL: this process's environment). The child gets `stdinFd` as
/// its standard input and `outputFd` as its standard output and error, every signal unblocked and at its default
/// action (a parent that ignores SIGPIPE must not pass that on), and `PR_SET_PDEATHSIG` with `deathSignal` (0:
/// none) — the signal arrives when the *thread* that called this ends, so call it from a thread that lives as
/// long as the process. Returns 0 and the pid, or the errno of the fork or of the exec (read from a close-on-exec
/// pipe, so a missing program is an error here, not an exit status later).
int CUartTunnelLinux_spawn(const char *path, char *const argv[], char *const envp[], int stdinFd, int outputFd,
                           int deathSignal, pid_t *pid);

/// `pidfd_open(pid, 0)` (Linux 5.3): a descriptor that polls readable once the child has ended, so a wait with a
/// timeout is one poll(2) rather than a sleep loop. Returns the descriptor or -1 with errno set.
int CUartTunnelLinux_pidfdOpen(pid_t pid);

#endif
