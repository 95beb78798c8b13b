#!/usr/bin/env bash
# Watch the bytes on UART1, i.e. the tunnel's TCP stream on 127.0.0.1:5556.
#
#   tools/view_uart1.sh            sniff the stream while the bridge is connected
#                                  (tcpdump on loopback, needs root; hex + ASCII)
#   tools/view_uart1.sh --direct   connect to QEMU yourself and hex-dump what the
#                                  device sends (only while no bridge is connected:
#                                  QEMU's chardev server takes one client)
#
# Each record is [len_hi][len_lo] then an Ethernet frame starting with the
# destination MAC (02 00 00 00 00 01 towards the host, ...:02 towards the device).
# Device-side log lines ("RX: N bytes") are in QEMU's UART0 log, see
# run-qemu-network.sh:  grep "RX:" /tmp/qemu_uart0.log
# Environment: UART1_PORT (default 5556).
set -euo pipefail

port="${UART1_PORT:-5556}"

case "${1:-}" in
    "")
        command -v tcpdump >/dev/null || { echo "error: tcpdump not installed" >&2; exit 1; }
        exec tcpdump -i lo -nn -l -X "tcp port ${port} and (((ip[2:2] - ((ip[0]&0xf)<<2)) - ((tcp[12]&0xf0)>>2)) != 0)"
        ;;
    --direct)
        # bash's /dev/tcp: no netcat needed
        exec 3<>"/dev/tcp/127.0.0.1/${port}" || { echo "error: nothing accepts on 127.0.0.1:${port} (QEMU not running, or the bridge is connected)" >&2; exit 1; }
        echo "connected to 127.0.0.1:${port}; Ctrl-C to stop" >&2
        exec od -A x -t x1z -v <&3
        ;;
    *)
        echo "usage: $0 [--direct]" >&2
        exit 2
        ;;
esac
