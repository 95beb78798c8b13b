#!/usr/bin/env bash
# Build the firmware, merge a flash image and run it in Espressif's QEMU with
# UART0 on this terminal (also logged) and UART1 on a TCP server for the bridge.
#
#   tools/run-qemu-network.sh [--no-build]
#
# Then, in a second terminal (root, or CAP_NET_ADMIN, for tun0):
#   sudo python3 tools/serial_tun_bridge.py -v
# QEMU waits for that connection before the firmware starts.  Then:
#   ping 192.168.100.2
#   curl http://192.168.100.2/api/status
#
# Environment: QEMU (default qemu-system-xtensa), UART1_PORT (5556),
# FLASH_SIZE (4MB), UART0_LOG (/tmp/qemu_uart0.log).  Needs an ESP-IDF
# environment (export.sh) for idf.py and esptool.py.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
project="$(dirname "$here")"
qemu="${QEMU:-qemu-system-xtensa}"
port="${UART1_PORT:-5556}"
flash_size="${FLASH_SIZE:-4MB}"
log="${UART0_LOG:-/tmp/qemu_uart0.log}"

build=1
case "${1:-}" in
    --no-build) build=0 ;;
    "") ;;
    *) echo "usage: $0 [--no-build]" >&2; exit 2 ;;
esac

for tool in "$qemu" esptool.py; do
    command -v "$tool" >/dev/null || { echo "error: $tool not found (ESP-IDF export.sh sourced? QEMU installed?)" >&2; exit 1; }
done

cd "$project"
if [ "$build" = 1 ]; then
    command -v idf.py >/dev/null || { echo "error: idf.py not found; source ESP-IDF's export.sh" >&2; exit 1; }
    [ -f sdkconfig ] || idf.py set-target esp32
    idf.py build
fi

# One image with bootloader, partition table and app at their offsets (flash_args
# lists them), padded to a size QEMU's flash model accepts.
(cd build && esptool.py --chip esp32 merge_bin --fill-flash-size "$flash_size" \
    -o flash_image.bin @flash_args)

echo "UART0 -> this terminal and $log; UART1 -> tcp 127.0.0.1:$port (waiting for the bridge)"
# -serial order: the first is UART0, the second UART1.  The server listens on
# loopback only (the seed's "tcp::5556,server" would listen on every interface)
# and waits for the bridge before starting the CPU, so no early frame is lost.
"$qemu" -nographic -machine esp32 \
    -drive "file=build/flash_image.bin,if=mtd,format=raw" \
    -serial mon:stdio \
    -serial "tcp:127.0.0.1:${port},server=on,wait=on" \
    2>&1 | tee "$log"
