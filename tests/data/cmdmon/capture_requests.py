#!/usr/bin/env python3
"""Captures the request datagrams that Debian's real chronyc sends, as golden test data.

Usage: capture_requests.py CHRONYC OUTDIR

Listens on a unix datagram socket in a temporary directory, points chronyc at it for each
command below and stores the first datagram of every request code it sees as
OUTDIR/<name>.bin. The listener answers N_SOURCES with "2 sources" (so that chronyc goes on to
ask about them) and everything else with a header-only "invalid command" reply.
"""
import os
import socket
import struct
import subprocess
import sys
import tempfile
import threading

# (file name, chronyc command line, request code to keep, which occurrence)
CAPTURES = [
    ("tracking", "tracking", 33, 0),
    ("n_sources", "sources", 14, 0),
    ("source_data_0", "sources", 15, 0),
    ("sourcestats_0", "sourcestats", 34, 0),
    ("serverstats", "serverstats", 54, 0),
    ("clients", "clients", 68, 0),
    ("clients_reset_min_hits", "clients -r -p 5", 68, 0),
    ("ntpdata_ipv4", "ntpdata 192.0.2.1", 57, 0),
    ("ntpdata_ipv6", "ntpdata 2001:db8::1", 57, 0),
    ("activity", "activity", 44, 0),
    ("makestep", "makestep", 43, 0),
    ("modify_makestep", "makestep 0.1 3", 50, 0),
    ("sourcename", "sourcename 192.0.2.1", 65, 0),
    ("sourcename_local", "sourcename 127.0.0.1", 65, 0),
    ("ntpdata_local", "ntpdata 127.0.0.1", 57, 0),
    ("burst", "burst 1/2", 3, 0),
    ("local", "local stratum 10", None, 0),
]


def main():
    chronyc, outdir = sys.argv[1], sys.argv[2]
    os.makedirs(outdir, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "sock")
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        sock.bind(path)
        sock.settimeout(0.2)
        seen = []
        stop = threading.Event()

        def serve():
            while not stop.is_set():
                try:
                    data, addr = sock.recvfrom(4096)
                except socket.timeout:
                    continue
                seen.append(data)
                code = struct.unpack(">H", data[4:6])[0]
                header = bytes([6, 2, 0, 0]) + data[4:6]
                if code == 14:
                    reply = header + struct.pack(">HH", 2, 0) + bytes(6) + data[8:12] + bytes(8) + struct.pack(">I", 2)
                else:
                    reply = header + struct.pack(">HH", 1, 3) + bytes(6) + data[8:12] + bytes(8)
                sock.sendto(reply, addr)

        thread = threading.Thread(target=serve)
        thread.start()
        try:
            for name, command, code, occurrence in CAPTURES:
                seen.clear()
                subprocess.run([chronyc, "-n", "-h", path] + command.split(), capture_output=True, timeout=10)
                matching = [d for d in seen if code is None or struct.unpack(">H", d[4:6])[0] == code]
                if len(matching) <= occurrence:
                    print("no request captured for", name, file=sys.stderr)
                    continue
                with open(os.path.join(outdir, name + ".bin"), "wb") as f:
                    f.write(matching[occurrence])
                print(name, len(matching[occurrence]), "bytes")
        finally:
            stop.set()
            thread.join()
            sock.close()


if __name__ == "__main__":
    main()
