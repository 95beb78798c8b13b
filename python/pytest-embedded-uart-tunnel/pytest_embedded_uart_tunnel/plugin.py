"""pytest plugin (entry point ``pytest11``): ``--uart-tunnel`` runs a pytest-embedded test against
``uart-tunnel device`` instead of QEMU or a board.

    pytest --uart-tunnel .build/debug/uart-tunnel --uart-tunnel-args "--driver firmware" tests/

The test keeps its ``dut`` fixture: ``dut.expect(...)`` reads the device's console (its log and the firmware's
ESP_LOG/printf output), ``dut.ip`` is the device's address and ``dut.tunnel`` a
:class:`~pytest_embedded_uart_tunnel.UartTunnel` (``ping``, ``http_get``, ``run`` inside the test's network
namespace). Without ``--uart-tunnel`` the plugin does nothing.
"""

import os
import shlex
import shutil

import pytest


def pytest_addoption(parser):
    group = parser.getgroup('uart-tunnel', 'pytest-embedded on uart-tunnel device')
    group.addoption('--uart-tunnel', metavar='PATH', default=None,
                    help='Run the dut as `uart-tunnel device` (PATH: the uart-tunnel executable, or "auto" for the '
                         'one on PATH). Needs root for the network namespace each test gets.')
    group.addoption('--uart-tunnel-project', metavar='DIR', default=None,
                    help='An ESP-IDF project for the device (`uart-tunnel device --project DIR`).')
    group.addoption('--uart-tunnel-args', metavar='ARGS', default='',
                    help='More `uart-tunnel device` arguments, split like a shell would, e.g. "--driver firmware".')
    group.addoption('--uart-tunnel-start-timeout', metavar='S', type=float, default=120.0,
                    help='Seconds the device may take to listen (a --project build counts). Default 120.')


def pytest_configure(config):
    if config.getoption('uart_tunnel'):
        # Registered after pytest-embedded, so this module's `dut` fixture is the one tests get.
        from . import dut_fixture

        config.pluginmanager.register(dut_fixture, 'uart_tunnel_dut')


def executable(config):
    path = config.getoption('uart_tunnel')
    if path == 'auto':
        path = shutil.which('uart-tunnel')
        if path is None:
            raise pytest.UsageError('--uart-tunnel auto: no uart-tunnel on PATH')
    if not os.access(path, os.X_OK):
        raise pytest.UsageError(f'--uart-tunnel {path}: not an executable')
    return os.path.abspath(path)


def device_args(config):
    return shlex.split(config.getoption('uart_tunnel_args') or '')
