"""A test written as for QEMU (`dut.expect` on the console, HTTP to the device), run against `uart-tunnel device`:

    pytest --uart-tunnel .build/debug/uart-tunnel --uart-tunnel-args "--driver firmware" \
        python/pytest-embedded-uart-tunnel/tests
"""

import json


def test_firmware_boots_answers_ping_and_serves_its_status(dut):
    # The in-repo firmware's own ESP_LOGI line, as QEMU's UART0 would show it, then the device's ready line.
    dut.expect(r'main: up; try: ping 192\.168\.100\.2', timeout=120)
    dut.expect(r'uart-tunnel device ready', timeout=30)
    ping = dut.tunnel.ping(count=3)
    assert ping.returncode == 0, ping.stdout + ping.stderr
    assert '3 received' in ping.stdout

    status, body = dut.tunnel.http_get('/api/status')
    assert status == 200, body
    document = json.loads(body)
    assert isinstance(document, dict) and document, body
