#!/usr/bin/env python3
"""A deliberately broken TUN bridge, for proving that `uart-tunnel check bridge` catches real defects.

Its defects, on purpose:
  * every frame to the device says EtherType 0x0800, IPv6 included;
  * the 2-byte length and the frame go out as two writes, with Nagle left on (~40 ms stalls);
  * it exits when the device disconnects instead of reconnecting.
"""
import fcntl
import os
import select
import signal
import socket
import struct
import subprocess
import sys

TUNSETIFF = 0x400454CA
IFF_TUN, IFF_NO_PI = 0x0001, 0x1000
HEADER = bytes.fromhex("020000000002" "020000000001") + b"\x08\x00"


def main():
    port = int(sys.argv[sys.argv.index("--port") + 1])
    ifname = sys.argv[sys.argv.index("--ifname") + 1]
    tun = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(tun, TUNSETIFF, struct.pack("16sH", ifname.encode(), IFF_TUN | IFF_NO_PI))
    subprocess.run(["ip", "addr", "add", "192.168.100.1/24", "dev", ifname], check=True)
    subprocess.run(["ip", "link", "set", ifname, "mtu", "1500", "up"], check=True)
    device = socket.create_connection(("127.0.0.1", port))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    pending = b""
    while True:
        ready, _, _ = select.select([tun, device], [], [])
        if tun in ready:
            packet = os.read(tun, 2048)
            frame = HEADER + packet
            device.sendall(struct.pack(">H", len(frame)))
            device.sendall(frame)
        if device in ready:
            data = device.recv(65536)
            if not data:
                sys.exit(1)
            pending += data
            while len(pending) >= 2:
                length = struct.unpack(">H", pending[:2])[0]
                if length < 14 or length > 1518:
                    pending = pending[2:]
                    continue
                if len(pending) < 2 + length:
                    break
                frame, pending = pending[2:2 + length], pending[2 + length:]
                if frame[12:14] in (b"\x08\x00", b"\x86\xdd"):
                    os.write(tun, frame[14:])


if __name__ == "__main__":
    main()
