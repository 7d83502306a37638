"""End-to-end reference-clock tests on this machine, without touching its clock.

A writer (strata-refclock-feed) publishes samples derived from the system clock with a known
offset (the "truth": reference = system + offset) and jitter, through an ntpd SHM segment or a
chrony SOCK socket. A daemon with clock control off (-x, and without CAP_SYS_TIME) locks its
served time to it; we then measure the served time over NTP on loopback against the system
clock: served - system should equal the offset.

- Debian's chronyd -x is the comparison (chrony's own measurement printed by `chronyd -Q`, and
  our NTP client below with nanosecond resolution).
- stratad -x is measured the same way once the daemon runs the TimeKeeper (skipped until the
  stratad binary exists).

Every process runs under `setpriv --bounding-set -sys_time`; everything created (processes,
SHM segments, sockets, temp dirs) is removed even when a test fails.
"""

import os
import re
import shutil
import socket
import struct
import subprocess
import tempfile
import time
import unittest

BUILD = os.environ.get("STRATA_BUILD_DIR", "")
PEERS = os.environ.get("STRATA_PEERS_DIR", "")
FEED = os.path.join(BUILD, "tools", "refclock-feed", "strata-refclock-feed")
STRATAD = os.path.join(BUILD, "server", "stratad")
CHRONYD = os.path.join(PEERS, "usr", "sbin", "chronyd")
NO_SYS_TIME = ["setpriv", "--bounding-set", "-sys_time", "--"]

OFFSET_S = 0.005      # the feed's truth: reference = system + 5 ms
JITTER_S = 2e-6
SETTLE_S = 30         # the figure for chronyd: within ~1-2 us 30 s after start
NTP_EPOCH = 2208988800


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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


class Processes:
    def __init__(self):
        self.procs = []

    def start(self, argv, log):
        p = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT)
        self.procs.append(p)
        return p

    def stop_all(self):
        for p in reversed(self.procs):
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        self.procs = []


@unittest.skipUnless(os.path.exists(FEED), "strata-refclock-feed not built (STRATA_BUILD_DIR)")
@unittest.skipUnless(shutil.which("setpriv"), "setpriv (util-linux) missing")
class RefclockEndToEnd(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="strata-refclock-e2e-")
        os.chmod(self.tmp, 0o700)
        self.procs = Processes()
        self.unit = 3000 + os.getpid() % 1000  # an SHM unit nothing else on the machine uses
        self.addCleanup(self.cleanup)

    def cleanup(self):
        self.procs.stop_all()
        subprocess.run(["ipcrm", "-M", str(0x4E545030 + self.unit)],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def feed(self, kind, duration):
        argv = [FEED, kind, "--offset", str(OFFSET_S), "--jitter", str(JITTER_S),
                "--rate", "4", "--duration", str(duration), "--quiet"]
        if kind == "shm":
            argv += ["--unit", str(self.unit)]
        else:
            argv += ["--path", os.path.join(self.tmp, "feed.sock")]
        return self.procs.start(argv, open(os.path.join(self.tmp, "feed.log"), "w"))

    def config(self, kind, port):
        if kind == "shm":
            refclock = f"refclock SHM {self.unit} poll 1 dpoll -2 refid FEED"
        else:
            refclock = f"refclock SOCK {self.tmp}/feed.sock poll 1 dpoll -2 refid FEED"
        path = os.path.join(self.tmp, "daemon.conf")
        with open(path, "w") as f:
            f.write(f"""{refclock}
port {port}
bindaddress 127.0.0.1
allow 127.0.0.1
cmdport 0
bindcmdaddress {self.tmp}/cmd.sock
pidfile {self.tmp}/daemon.pid
logdir {self.tmp}
log tracking refclocks statistics
""")
        return path

    def run_chronyd(self, kind):
        if not os.path.exists(CHRONYD):
            self.skipTest("Debian chronyd not unpacked (scripts/install-deps)")
        if os.geteuid() != 0:
            self.skipTest("chronyd -x needs -u root here")
        port = free_port()
        conf = self.config(kind, port)
        log = open(os.path.join(self.tmp, "chronyd.log"), "w")
        self.procs.start(NO_SYS_TIME + [CHRONYD, "-x", "-u", "root", "-d", "-f", conf], log)
        time.sleep(0.5)  # chronyd creates the SOCK socket / SHM segment
        self.feed(kind, SETTLE_S + 20)
        time.sleep(SETTLE_S)
        measured = served_offset(port)
        q = subprocess.run(NO_SYS_TIME + [CHRONYD, "-Q", "-u", "root", "-f", "/dev/null",
                                          f"server 127.0.0.1 port {port} iburst"],
                           capture_output=True, text=True, timeout=30)
        m = re.search(r"System clock wrong by (-?[0-9.]+) seconds", q.stdout + q.stderr)
        chrony_q = float(m.group(1)) if m else None
        return measured, chrony_q

    def report(self, who, kind, measured, chrony_q):
        self.assertIsNotNone(measured, f"{who} did not answer NTP on loopback")
        err_us = (measured - OFFSET_S) * 1e6
        q = f", chronyd -Q says {chrony_q:.6f} s" if chrony_q is not None else ""
        print(f"\n{who} {kind}: served - system = {measured:.9f} s, truth {OFFSET_S} s, "
              f"error {err_us:+.2f} us{q}")
        return err_us

    def test_chronyd_follows_shm_feed(self):
        measured, chrony_q = self.run_chronyd("shm")
        err_us = self.report("chronyd", "SHM", measured, chrony_q)
        self.assertLess(abs(err_us), 20.0)
        self.assertIsNotNone(chrony_q)
        self.assertAlmostEqual(chrony_q, OFFSET_S, delta=20e-6)

    def test_chronyd_follows_sock_feed(self):
        measured, chrony_q = self.run_chronyd("sock")
        err_us = self.report("chronyd", "SOCK", measured, chrony_q)
        self.assertLess(abs(err_us), 20.0)

    # The same measurement of stratad. It needs the daemon to run the TimeKeeper from
    # chrony.conf refclock lines (issue 7 integration by the lead): until stratad exists this
    # skips. The expected command line mirrors chronyd's (-x -d -f CONF).
    def run_stratad(self, kind):
        if not os.path.exists(STRATAD):
            self.skipTest("stratad not built yet")
        port = free_port()
        conf = self.config(kind, port)
        log = open(os.path.join(self.tmp, "stratad.log"), "w")
        self.procs.start(NO_SYS_TIME + [STRATAD, "-x", "-d", "-f", conf], log)
        time.sleep(0.5)
        self.feed(kind, SETTLE_S + 20)
        time.sleep(SETTLE_S)
        return served_offset(port)

    def test_stratad_follows_shm_feed(self):
        err_us = self.report("stratad", "SHM", self.run_stratad("shm"), None)
        self.assertLess(abs(err_us), 5.0)

    def test_stratad_follows_sock_feed(self):
        err_us = self.report("stratad", "SOCK", self.run_stratad("sock"), None)
        self.assertLess(abs(err_us), 5.0)


if __name__ == "__main__":
    unittest.main()
