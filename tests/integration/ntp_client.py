"""A small NTP client with kernel timestamps on its own side (SO_TIMESTAMPING software TX
stamps from the error queue, RX stamps from control messages), for measuring a server's
served time against this host's clock on loopback. Used by integration tests and by the
benchmark scripts. Python standard library only."""

import socket
import struct
import time

NTP_EPOCH = 2208988800

SO_TIMESTAMPING = 37
SOF_TX_SOFTWARE, SOF_RX_SOFTWARE, SOF_SOFTWARE, SOF_OPT_TSONLY = 1 << 1, 1 << 3, 1 << 4, 1 << 11
MSG_ERRQUEUE = 0x2000


def _kernel_stamp(anc):
    for level, kind, payload in anc:
        if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPING and len(payload) >= 16:
            sec, nsec = struct.unpack("qq", payload[:16])
            if sec or nsec:
                return sec * 1_000_000_000 + nsec
    return None


def ntp_offsets(port, count=64, timeout=0.5):
    """(offset, delay) pairs of `count` NTPv4 client exchanges with 127.0.0.1:port, seconds.
    offset = served - system clock. T1 and T4 are the kernel's software TX/RX timestamps
    (SO_TIMESTAMPING), so this client's own latencies do not bias the result."""
    out = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPING,
                     SOF_TX_SOFTWARE | SOF_RX_SOFTWARE | SOF_SOFTWARE | SOF_OPT_TSONLY)
        s.settimeout(timeout)
        for _ in range(count):
            t1 = time.time_ns()
            sec, frac = divmod(t1, 1_000_000_000)
            xmt = ((sec + NTP_EPOCH) << 32) | (frac << 32) // 1_000_000_000
            pkt = bytes([0x23]) + bytes(39) + struct.pack("!Q", xmt)
            s.sendto(pkt, ("127.0.0.1", port))
            try:
                data, anc, _, _ = s.recvmsg(1024, 256)
            except socket.timeout:
                continue
            t4 = _kernel_stamp(anc)
            try:
                _, txanc, _, _ = s.recvmsg(64, 256, MSG_ERRQUEUE | socket.MSG_DONTWAIT)
                t1k = _kernel_stamp(txanc)
            except (BlockingIOError, socket.timeout):
                t1k = None
            if t4 is None or t1k is None:
                continue
            if len(data) < 48 or struct.unpack("!Q", data[24:32])[0] != xmt:
                continue
            if data[0] >> 6 == 3:  # not synchronised yet
                continue

            def ts(off):
                v = struct.unpack("!Q", data[off:off + 8])[0]
                return ((v >> 32) - NTP_EPOCH) * 1_000_000_000 + ((v & 0xFFFFFFFF) * 1_000_000_000 >> 32)

            t2, t3 = ts(32), ts(40)
            out.append((((t2 - t1k) + (t3 - t4)) / 2e9, ((t4 - t1k) - (t3 - t2)) / 1e9))
            time.sleep(0.01)
    return out


def served_offset(port):
    """Served - system (seconds) from the quarter of exchanges with the shortest delay."""
    samples = ntp_offsets(port)
    if len(samples) < 8:
        return None
    samples.sort(key=lambda od: od[1])
    best = samples[: max(4, len(samples) // 4)]
    return sum(o for o, _ in best) / len(best)
