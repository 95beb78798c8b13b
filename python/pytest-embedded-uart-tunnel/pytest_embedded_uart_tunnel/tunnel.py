"""One `uart-tunnel device` and its bridge in a network namespace of their own."""

import itertools
import os
import shlex
import signal
import subprocess
import time

from pytest_embedded.log import DuplicateStdoutPopen


class UartTunnelError(RuntimeError):
    """The device or the bridge did not come up (the message quotes their logs)."""


class UartTunnel:
    """Starts ``uart-tunnel device`` and ``uart-tunnel bridge`` in a private network namespace, as the README's
    walk-through does by hand: the device (lwIP as 192.168.100.2) listens on 127.0.0.1:5556 inside the namespace,
    the bridge gives it tun0 = 192.168.100.1/24 there. The device's output (its log, the firmware's ESP_LOG lines)
    goes to pytest-embedded's message queue, where ``dut.expect`` reads it.

    Nothing touches the host's network: the namespace is created here and deleted by :meth:`close`.
    """

    DEVICE_IP = '192.168.100.2'
    HOST_IP = '192.168.100.1'
    _names = itertools.count()

    def __init__(self, executable, msg_queue, meta=None, project=None, device_args=(), logdir=None,
                 start_timeout=120.0):
        self.executable = executable
        self.project = project
        self.device_args = list(device_args)
        self.namespace = f'ut-pytest-{os.getpid()}-{next(self._names)}'
        self.ip = self.DEVICE_IP
        self.logdir = logdir or (meta.logdir if meta else '/tmp')
        self.ready_file = os.path.join(self.logdir, f'{self.namespace}.ready')
        self.bridge_log = os.path.join(self.logdir, f'{self.namespace}-bridge.log')
        self.start_timeout = start_timeout
        self._msg_queue = msg_queue
        self._meta = meta
        self.device = None
        self.bridge = None
        self._bridge_log = None

    # -- life -----------------------------------------------------------------

    def start(self):
        """Creates the namespace, starts the device, waits for its ready file, starts the bridge, waits for tun0."""
        self._ip('netns', 'add', self.namespace)
        try:
            self._ip('-n', self.namespace, 'link', 'set', 'lo', 'up')
            command = [self.executable, 'device', '--listen', '127.0.0.1:5556', '--ready-file', self.ready_file]
            if self.project:
                command += ['--project', self.project]
            command += self.device_args
            self.device = DuplicateStdoutPopen(self._msg_queue, self.in_namespace(command), meta=self._meta)
            self._wait('the device to listen (its --ready-file)', lambda: os.path.exists(self.ready_file),
                       self.start_timeout, self.device)
            self._bridge_log = open(self.bridge_log, 'w')
            self.bridge = subprocess.Popen(
                self.in_namespace([self.executable, 'bridge', '--connect', '127.0.0.1:5556']),
                stdout=self._bridge_log, stderr=subprocess.STDOUT)
            self._wait('the bridge to bring up tun0 with ' + self.HOST_IP, self._tun_up, 30.0, self.bridge)
        except BaseException:
            self.close()
            raise
        return self

    def close(self):
        """Stops the bridge and the device (SIGTERM, then SIGKILL after 5 s) and deletes the namespace."""
        for process in (self.bridge, self.device):
            if process is None or process.poll() is not None:
                continue
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
        if self.device is not None:
            self.device.close()  # its log forwarder
        if self._bridge_log:
            self._bridge_log.close()
        subprocess.run(['ip', 'netns', 'del', self.namespace], capture_output=True)
        for path in (self.ready_file,):
            if os.path.exists(path):
                os.remove(path)
        self.device = self.bridge = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()

    # -- the network side -------------------------------------------------------

    def in_namespace(self, command):
        return ['ip', 'netns', 'exec', self.namespace, *command]

    def run(self, command, timeout=60.0, check=False):
        """Runs a command (a list) inside the namespace, where 192.168.100.0/24 is the tunnel."""
        return subprocess.run(self.in_namespace(command), capture_output=True, text=True, timeout=timeout, check=check)

    def ping(self, count=3, timeout=30.0):
        return self.run(['ping', '-c', str(count), '-W', '5', self.ip], timeout=timeout)

    def http_get(self, path='/', timeout=15.0):
        """GET http://<device>/path through the tunnel: (status, body)."""
        result = self.run(['curl', '-sS', '-m', str(int(timeout)), '-w', '\n%{http_code}', f'http://{self.ip}{path}'],
                          timeout=timeout + 5)
        if result.returncode != 0:
            raise UartTunnelError(f'curl http://{self.ip}{path} failed: {result.stderr.strip()}')
        body, _, status = result.stdout.rpartition('\n')
        return int(status), body

    # -- helpers ----------------------------------------------------------------

    def _tun_up(self):
        result = subprocess.run(['ip', '-n', self.namespace, '-o', 'addr', 'show', 'dev', 'tun0'],
                                capture_output=True, text=True)
        return f'{self.HOST_IP}/24' in result.stdout

    def _wait(self, what, condition, timeout, process):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            if process.poll() is not None:
                raise UartTunnelError(f'waiting for {what}: {shlex.join(map(str, process.args))} exited with '
                                      f'status {process.returncode}; logs in {self.logdir}')
            time.sleep(0.05)
        raise UartTunnelError(f'waiting for {what}: nothing after {timeout:.0f} s; logs in {self.logdir}')

    @staticmethod
    def _ip(*args):
        result = subprocess.run(['ip', *args], capture_output=True, text=True)
        if result.returncode != 0:
            raise UartTunnelError(f'ip {" ".join(args)}: {result.stderr.strip()}')
