"""The fixtures registered by ``--uart-tunnel``: ``uart_tunnel`` and a ``dut`` in place of pytest-embedded's."""

import os

import pytest
from pytest_embedded.dut import Dut

from . import plugin
from .tunnel import UartTunnel


@pytest.fixture
def uart_tunnel(request, msg_queue, _meta, _pexpect_logfile):
    if os.geteuid() != 0:
        pytest.skip('uart-tunnel: needs root for the network namespace the device and bridge run in')
    os.makedirs(_meta.logdir, exist_ok=True)  # where the device's and the bridge's logs go, beside the dut's
    config = request.config
    tunnel = UartTunnel(plugin.executable(config), msg_queue, meta=_meta,
                        project=config.getoption('uart_tunnel_project'), device_args=plugin.device_args(config),
                        start_timeout=config.getoption('uart_tunnel_start_timeout'))
    with tunnel:
        yield tunnel


@pytest.fixture
def dut(uart_tunnel, pexpect_proc, msg_queue, app, _pexpect_logfile, test_case_name, _meta):
    """pytest-embedded's ``Dut`` reading the device's console, with ``tunnel`` and ``ip`` for the network side."""
    device = Dut(pexpect_proc=pexpect_proc, msg_queue=msg_queue, app=app, pexpect_logfile=_pexpect_logfile,
                 test_case_name=test_case_name, meta=_meta, tunnel=uart_tunnel, ip=uart_tunnel.ip)
    try:
        yield device
    finally:
        device.close()
