#!/usr/bin/env python3
"""Sends the captured chronyc requests (*.bin from capture_requests.py) to a running chronyd's
command socket and stores each reply as chronyd_<name>.reply.bin: golden replies of the real
daemon for the decoder's tests.

Usage: capture_replies.py CHRONYD_SOCKET DIR [NAME...]
"""
import os
import socket
import sys
import tempfile


def main():
    server, directory = sys.argv[1], sys.argv[2]
    names = sys.argv[3:] or sorted(f[:-4] for f in os.listdir(directory)
                                   if f.endswith(".bin") and not f.endswith(".reply.bin"))
    with tempfile.TemporaryDirectory(dir=os.path.dirname(server)) as tmp:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        sock.bind(os.path.join(tmp, "client.sock"))
        sock.settimeout(2)
        for name in names:
            with open(os.path.join(directory, name + ".bin"), "rb") as f:
                request = f.read()
            sock.sendto(request, server)
            try:
                reply, _ = sock.recvfrom(4096)
            except socket.timeout:
                print(name, "no reply")
                continue
            with open(os.path.join(directory, "chronyd_" + name + ".reply.bin"), "wb") as f:
                f.write(reply)
            print(name, len(reply), "bytes")
        sock.close()


if __name__ == "__main__":
    main()
