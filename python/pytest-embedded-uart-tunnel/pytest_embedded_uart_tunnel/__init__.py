"""pytest-embedded with `uart-tunnel device` as the device under test.

pytest-embedded's services are a fixed list inside its DUT factory (no entry point for new ones), so this package
plugs in as a pytest plugin instead: with ``--uart-tunnel`` its ``dut`` fixture replaces pytest-embedded's and
yields pytest-embedded's own ``Dut``, fed by the device's console, with ``dut.tunnel`` (a :class:`UartTunnel`)
and ``dut.ip`` for the network side.
"""

from .tunnel import UartTunnel, UartTunnelError

__all__ = ['UartTunnel', 'UartTunnelError']
