#!/usr/bin/env python3
"""Host side of the UART IP tunnel: QEMU's UART1 chardev (TCP) <-> a Linux TUN device.

This is the bridge the "QEMU Network Internals" notes describe, written from that
description.  It is deliberately plain: it does what those notes say and no more,
so that a conformance suite can measure the design as described.  Known gaps are
listed at the end of this docstring; fix one only when a check proves it matters.

Wire format on the TCP stream (UART1), both directions::

    +--------+--------+------------------------------------------------+
    | len_hi | len_lo | Ethernet frame (len bytes, 14 ..= 1518)        |
    +--------+--------+------------------------------------------------+
                      | dst MAC 6 | src MAC 6 | type 2 | payload ...   |

The TUN side carries bare IP packets (IFF_TUN | IFF_NO_PI), so:

* device -> host: strip the 14-byte Ethernet header, write the rest to tun.
* host -> device: prepend dst 02:00:00:00:00:02, src 02:00:00:00:00:01,
  EtherType 0x0800, then send the 2-byte length and the frame.

A length outside 14..1518 is reported and skipped; only its two length bytes
are consumed, and decoding resumes at the next byte.

Run as root (or with CAP_NET_ADMIN), after QEMU is listening on the port:

    sudo python3 tools/serial_tun_bridge.py [--host 127.0.0.1] [--port 5556] [--ifname tun0] [-v]

Known gaps (kept on purpose, see above):

* The EtherType towards the device is always 0x0800, also for IPv6 packets.
* Non-IP frames from the device (ARP, for instance) are handed to the kernel
  with their header stripped; the kernel rejects them and the bridge logs it.
* No timeout for a partially received frame; no TCP_NODELAY; no reconnect when
  the device goes away (the bridge exits instead).

Standard library only.
"""

import argparse
import fcntl
import logging
import os
import select
import signal
import socket
import struct
import subprocess
import sys

# <linux/if_tun.h>
TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000

ETH_HEADER_LEN = 14
MIN_FRAME_LEN = ETH_HEADER_LEN
MAX_FRAME_LEN = 1518

DEVICE_MAC = bytes.fromhex("020000000002")
HOST_MAC = bytes.fromhex("020000000001")
ETHERTYPE_IPV4 = b"\x08\x00"

HOST_ADDRESS = "192.168.100.1/24"
TUN_READ_SIZE = 65535  # larger than any packet the kernel hands to a TUN at MTU 1500

log = logging.getLogger("serial_tun_bridge")


class Stop(Exception):
    """Raised from the signal handler to leave the main loop from wherever it blocks."""


class DeviceClosed(Exception):
    """The TCP peer (QEMU / the device) closed the connection."""


def valid_ifname(name):
    # Linux: at most IFNAMSIZ-1 (15) bytes, no '/', no whitespace, not "." or "..".
    if not name or len(name.encode()) > 15 or name in (".", ".."):
        return False
    return not any(c == "/" or c == ":" or c.isspace() for c in name)


def open_tun(ifname):
    """Create (or attach to) a TUN interface; return (fd, actual name)."""
    fd = os.open("/dev/net/tun", os.O_RDWR)
    ifreq = struct.pack("16sH22x", ifname.encode(), IFF_TUN | IFF_NO_PI)
    try:
        result = fcntl.ioctl(fd, TUNSETIFF, ifreq)
    except OSError:
        os.close(fd)
        raise
    actual = result[:16].split(b"\0", 1)[0].decode()
    return fd, actual


def configure_interface(ifname, address):
    # argv lists, never a shell: the interface name comes from the command line.
    for argv in (["ip", "addr", "add", address, "dev", ifname],
                 ["ip", "link", "set", "dev", ifname, "up"]):
        log.debug("running: %s", " ".join(argv))
        subprocess.run(argv, check=True)


def recv_exact(sock, n):
    """Block until exactly n bytes arrived; raise DeviceClosed on EOF."""
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise DeviceClosed()
        buf += chunk
    return bytes(buf)


class Bridge:
    def __init__(self, sock, tun_fd, ifname):
        self.sock = sock
        self.tun_fd = tun_fd
        self.ifname = ifname
        self.rx_frames = 0      # device -> tun, written
        self.tx_frames = 0      # tun -> device, sent
        self.bad_lengths = 0
        self.tun_write_errors = 0

    def device_to_tun(self):
        """Read one record from the device and pass its IP packet to the kernel."""
        header = recv_exact(self.sock, 2)
        length = (header[0] << 8) | header[1]
        if length < MIN_FRAME_LEN or length > MAX_FRAME_LEN:
            # Only the two length bytes are consumed; the next byte is read as a new length.
            self.bad_lengths += 1
            log.warning("Invalid frame length: %d", length)
            return
        frame = recv_exact(self.sock, length)
        log.debug("RX: %d bytes (device -> %s)", length, self.ifname)
        packet = frame[ETH_HEADER_LEN:]
        try:
            os.write(self.tun_fd, packet)
        except OSError as exc:
            # A TUN device accepts IP only; an ARP frame from the device ends here.
            self.tun_write_errors += 1
            ethertype = frame[12:14].hex()
            log.warning("%s rejected a %d-byte packet (EtherType 0x%s): %s",
                        self.ifname, len(packet), ethertype, exc.strerror)
            return
        self.rx_frames += 1

    def tun_to_device(self):
        """Read one IP packet from the kernel and send it to the device as a record."""
        packet = os.read(self.tun_fd, TUN_READ_SIZE)
        if not packet:
            return
        frame = DEVICE_MAC + HOST_MAC + ETHERTYPE_IPV4 + packet
        log.debug("TX: %d bytes (%s -> device)", len(frame), self.ifname)
        self.sock.sendall(struct.pack(">H", len(frame)) + frame)
        self.tx_frames += 1

    def run(self):
        while True:
            readable, _, _ = select.select([self.sock, self.tun_fd], [], [])
            if self.sock in readable:
                self.device_to_tun()
            if self.tun_fd in readable:
                self.tun_to_device()


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Bridge QEMU's UART1 TCP chardev to a Linux TUN interface.")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address of the QEMU chardev server (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=5556,
                        help="TCP port of the QEMU chardev server (default: 5556)")
    parser.add_argument("--ifname", default="tun0",
                        help="TUN interface name (default: tun0)")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="log the length of every frame in both directions")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(message)s")

    if not valid_ifname(args.ifname):
        log.error("not a valid interface name: %r", args.ifname)
        return 2

    def on_signal(signum, _frame):
        raise Stop(signal.Signals(signum).name)

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)

    sock = tun_fd = None
    bridge = None
    status = 0
    try:
        try:
            tun_fd, ifname = open_tun(args.ifname)
        except OSError as exc:
            log.error("cannot open TUN device %s: %s (root or CAP_NET_ADMIN needed)",
                      args.ifname, exc.strerror)
            return 1
        try:
            configure_interface(ifname, HOST_ADDRESS)
        except (OSError, subprocess.CalledProcessError) as exc:
            log.error("cannot configure %s: %s", ifname, exc)
            return 1
        log.info("%s up with %s", ifname, HOST_ADDRESS)

        try:
            sock = socket.create_connection((args.host, args.port))
        except OSError as exc:
            log.error("cannot connect to %s:%d: %s", args.host, args.port, exc.strerror)
            return 1
        log.info("connected to %s:%d; bridging %s", args.host, args.port, ifname)

        bridge = Bridge(sock, tun_fd, ifname)
        bridge.run()
    except Stop as stop:
        log.info("%s received, exiting", stop)
    except DeviceClosed:
        log.error("device closed the connection")
        status = 1
    except OSError as exc:
        log.error("I/O error: %s", exc)
        status = 1
    finally:
        if bridge is not None:
            log.info("frames device->tun %d, tun->device %d, bad lengths %d, rejected by tun %d",
                     bridge.rx_frames, bridge.tx_frames, bridge.bad_lengths,
                     bridge.tun_write_errors)
        if sock is not None:
            sock.close()
        if tun_fd is not None:
            os.close(tun_fd)
    return status


if __name__ == "__main__":
    sys.exit(main())
