// See CUartTunnelLinuxSpawn.h. Between fork and exec only async-signal-safe calls: the parent has threads.
#define _GNU_SOURCE
#include "CUartTunnelLinuxSpawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

extern char **environ;

static void child(const char *path, char *const argv[], char *const envp[], int stdinFd, int outputFd,
                  int deathSignal, pid_t parent, int errorPipe) {
    int error = 0;
    if (deathSignal != 0) {
        if (prctl(PR_SET_PDEATHSIG, deathSignal) != 0) error = errno;
        // The parent may have ended before prctl: then nobody would ever send the signal.
        else if (getppid() != parent) _exit(127);
    }
    for (int number = 1; number < NSIG && error == 0; number++) {
        if (number != SIGKILL && number != SIGSTOP) signal(number, SIG_DFL);
    }
    sigset_t none;
    sigemptyset(&none);
    if (error == 0 && sigprocmask(SIG_SETMASK, &none, NULL) != 0) error = errno;
    if (error == 0 && dup2(stdinFd, 0) < 0) error = errno;
    if (error == 0 && dup2(outputFd, 1) < 0) error = errno;
    if (error == 0 && dup2(outputFd, 2) < 0) error = errno;
    if (error == 0) {
        execve(path, argv, envp != NULL ? envp : environ);
        error = errno;
    }
    while (write(errorPipe, &error, sizeof error) < 0 && errno == EINTR) {}
    _exit(127);
}

int CUartTunnelLinux_spawn(const char *path, char *const argv[], char *const envp[], int stdinFd, int outputFd,
                           int deathSignal, pid_t *pid) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return errno;
    pid_t parent = getpid();
    pid_t forked = fork();
    if (forked < 0) {
        int error = errno;
        close(fds[0]);
        close(fds[1]);
        return error;
    }
    if (forked == 0) child(path, argv, envp, stdinFd, outputFd, deathSignal, parent, fds[1]);
    close(fds[1]);
    int error = 0;
    ssize_t count;
    do { count = read(fds[0], &error, sizeof error); } while (count < 0 && errno == EINTR);
    close(fds[0]);
    if (count == (ssize_t)sizeof error) {
        // The exec failed: the child has exited with 127; reap it so it leaves no zombie.
        while (waitpid(forked, NULL, 0) < 0 && errno == EINTR) {}
        return error != 0 ? error : ECHILD;
    }
    *pid = forked;
    return 0;
}

int CUartTunnelLinux_pidfdOpen(pid_t pid) {
    return (int)syscall(SYS_pidfd_open, pid, 0);
}
