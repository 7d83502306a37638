"""Shared helpers for Strata's integration tests (Python 3 standard library only).

Every process a test starts runs without CAP_SYS_TIME in its bounding set (setpriv) and with
clock control off (stratad/chronyd -x), is registered for cleanup, and is killed when the
test ends, passes or fails. Traffic stays on 127.0.0.0/8 and ::1 (or namespaces a test makes
and removes itself).

Environment (set by CTest): STRATA_BUILD_DIR (the CMake build tree) and STRATA_PEERS_DIR
(Debian's chrony package unpacked by scripts/install-deps).
"""

import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import time
import unittest

BUILD_DIR = os.environ.get("STRATA_BUILD_DIR", os.path.join(os.path.dirname(__file__), "..", "..", "build"))
PEERS_DIR = os.environ.get("STRATA_PEERS_DIR", os.path.join(os.path.dirname(__file__), "..", "..", ".deps", "chrony"))

STRATAD = os.path.join(BUILD_DIR, "server", "stratad", "stratad")
STRATACTL = os.path.join(BUILD_DIR, "tools", "stratactl", "stratactl")
STRATAPERF = os.path.join(BUILD_DIR, "tools", "strataperf", "strataperf")
CHRONYD = os.path.join(PEERS_DIR, "usr", "sbin", "chronyd")
CHRONYC = os.path.join(PEERS_DIR, "usr", "bin", "chronyc")

# Drop CAP_SYS_TIME from the bounding set: even as root, the process cannot set the clock.
NO_SYS_TIME = ["setpriv", "--bounding-set", "-sys_time", "--"]

CAP_SYS_TIME = 25
NTP_EPOCH_OFFSET = 2208988800


def free_udp_port(address="127.0.0.1"):
    """A UDP port that is free right now on `address` (and on TCP, for metrics/cmd use)."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    for _ in range(50):
        with socket.socket(family, socket.SOCK_DGRAM) as s:
            s.bind((address, 0))
            port = s.getsockname()[1]
        try:
            with socket.socket(family, socket.SOCK_STREAM) as t:
                t.bind((address, port))
            return port
        except OSError:
            continue
    raise RuntimeError("no free port")


def ntp_time(unix_seconds=None):
    """64-bit NTP timestamp of a Unix time (float)."""
    if unix_seconds is None:
        unix_seconds = time.time()
    ntp = unix_seconds + NTP_EPOCH_OFFSET
    sec = int(ntp)
    frac = int((ntp - sec) * (1 << 32)) & 0xFFFFFFFF
    return ((sec & 0xFFFFFFFF) << 32) | frac


def ntp_to_unix(ts):
    """Unix seconds (float) of a 64-bit NTP timestamp in the current era."""
    sec = ts >> 32
    frac = ts & 0xFFFFFFFF
    return sec - NTP_EPOCH_OFFSET + frac / (1 << 32)


def client_request(version=4, mode=3, transmit=None, origin=0, receive=0, poll=6):
    if transmit is None:
        transmit = ntp_time()
    first = (0 << 6) | (version << 3) | mode
    return struct.pack("!BBbbII4sQQQQ", first, 0, poll, 0, 0, 0, b"\0\0\0\0", 0, origin, receive, transmit)


def parse_reply(data):
    """The header fields of an NTP packet as a dict (None if shorter than 48 bytes)."""
    if len(data) < 48:
        return None
    first, stratum, poll, precision, root_delay, root_disp, refid, ref, orig, rx, tx = struct.unpack(
        "!BBbbII4sQQQQ", data[:48])
    return {
        "leap": first >> 6, "version": (first >> 3) & 7, "mode": first & 7, "stratum": stratum,
        "poll": poll, "precision": precision, "root_delay": root_delay / 65536.0,
        "root_dispersion": root_disp / 65536.0, "refid": refid, "reference": ref, "origin": orig,
        "receive": rx, "transmit": tx, "length": len(data),
    }


def send_and_receive(server, payload, source=None, timeout=1.0):
    """Sends one datagram to `server` (host, port) from `source` (host or None) and returns the
    first datagram that comes back within `timeout` seconds, or None."""
    family = socket.AF_INET6 if ":" in server[0] else socket.AF_INET
    with socket.socket(family, socket.SOCK_DGRAM) as s:
        if source:
            s.bind((source, 0))
        s.settimeout(timeout)
        s.sendto(payload, server)
        try:
            data, _ = s.recvfrom(4096)
            return data
        except (socket.timeout, ConnectionRefusedError):
            return None


class Process:
    """A started program with its output captured in files under the test's directory."""

    def __init__(self, name, argv, workdir, env=None):
        self.name = name
        self.argv = argv
        self.out_path = os.path.join(workdir, name + ".out")
        self.err_path = os.path.join(workdir, name + ".err")
        self._out = open(self.out_path, "wb")
        self._err = open(self.err_path, "wb")
        self.popen = subprocess.Popen(argv, stdout=self._out, stderr=self._err, stdin=subprocess.DEVNULL,
                                      env=env, start_new_session=True)

    @property
    def pid(self):
        return self.popen.pid

    def alive(self):
        return self.popen.poll() is None

    def stop(self, sig=signal.SIGTERM, timeout=10):
        """Sends `sig`, waits, kills if needed; returns the exit status."""
        if self.popen.poll() is None:
            try:
                self.popen.send_signal(sig)
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait()
        self._out.close()
        self._err.close()
        return self.popen.returncode

    def wait(self, timeout=10):
        return self.popen.wait(timeout=timeout)

    def output(self):
        for f in (self._out, self._err):
            if not f.closed:
                f.flush()
        with open(self.out_path, "rb") as f:
            out = f.read().decode(errors="replace")
        with open(self.err_path, "rb") as f:
            err = f.read().decode(errors="replace")
        return out + err

    def capabilities_bounding_set(self):
        with open("/proc/%d/status" % self.pid) as f:
            for line in f:
                if line.startswith("CapBnd:"):
                    return int(line.split()[1], 16)
        return None


class StrataTestCase(unittest.TestCase):
    """Base class: a temporary directory and process cleanup for each test."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="strata-it-")
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.processes = []
        self.addCleanup(self._stop_all)

    def _stop_all(self):
        for p in reversed(self.processes):
            p.stop(signal.SIGKILL if not p.alive() else signal.SIGTERM)

    def path(self, name):
        return os.path.join(self.tmp, name)

    def write(self, name, text):
        path = self.path(name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def spawn(self, name, argv, env=None):
        p = Process(name, argv, self.tmp, env)
        self.processes.append(p)
        return p

    def run_tool(self, argv, timeout=30, check=False):
        r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout,
                           stdin=subprocess.DEVNULL)
        out = r.stdout.decode(errors="replace")
        err = r.stderr.decode(errors="replace")
        if check and r.returncode != 0:
            self.fail("%s failed (%d):\n%s%s" % (" ".join(argv), r.returncode, out, err))
        return r.returncode, out, err

    # --- stratad -----------------------------------------------------------------------

    def start_stratad(self, config, args=(), name="stratad", wait_port=None, wait_address="127.0.0.1"):
        """Starts stratad -x -d on `config` (text) without CAP_SYS_TIME. With `wait_port`, waits
        until it answers NTP there (needs an allow rule covering the wait address)."""
        if not os.path.exists(STRATAD):
            self.skipTest("stratad not built")
        conf = self.write(name + ".conf", config)
        p = self.spawn(name, NO_SYS_TIME + [STRATAD, "-x", "-d", "-f", conf] + list(args))
        if wait_port is not None:
            self.wait_for_ntp(p, (wait_address, wait_port))
        return p

    def wait_for_ntp(self, process, server, timeout=10.0):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if not process.alive():
                self.fail("%s exited early (%s):\n%s" % (process.name, process.popen.returncode, process.output()))
            if send_and_receive(server, client_request(), timeout=0.2) is not None:
                return
        self.fail("%s did not answer NTP on %s within %.0f s:\n%s" % (process.name, server, timeout, process.output()))

    # --- chronyd -----------------------------------------------------------------------

    def require_chrony(self):
        if not os.path.exists(CHRONYD):
            self.skipTest("Debian chronyd not unpacked (run scripts/install-deps)")

    def chronyd_argv(self, *args):
        return NO_SYS_TIME + [CHRONYD, "-x", "-u", "root"] + list(args)

    def start_chronyd_server(self, port, extra="", name="chronyd"):
        """chronyd -x serving `local stratum 1` on 127.0.0.1:port, with a command socket."""
        self.require_chrony()
        rundir = self.path(name + "-run")
        os.makedirs(rundir, mode=0o700, exist_ok=True)
        os.chmod(rundir, 0o700)
        conf = self.write(name + ".conf", "\n".join([
            "port %d" % port, "bindaddress 127.0.0.1", "allow 127.0.0.0/8", "local stratum 1",
            "cmdport 0", "bindcmdaddress %s/chronyd.sock" % rundir,
            "pidfile %s/chronyd.pid" % rundir, "driftfile %s/drift" % rundir, extra, ""]))
        p = self.spawn(name, self.chronyd_argv("-d", "-f", conf))
        self.wait_for_ntp(p, ("127.0.0.1", port))
        p.socket = os.path.join(rundir, "chronyd.sock")
        return p

    def chronyd_measure_offset(self, server, port, timeout=30):
        """Runs chronyd -Q against server:port and returns the offset it reports (seconds,
        positive = our clock ahead of the server, chronyd's "wrong by" sign)."""
        self.require_chrony()
        rc, out, err = self.run_tool(
            self.chronyd_argv("-Q", "-f", "/dev/null", "server %s port %d iburst" % (server, port)),
            timeout=timeout)
        m = re.search(r"System clock wrong by (-?[0-9.]+) seconds", out + err)
        if not m:
            self.fail("chronyd -Q gave no offset (rc %d):\n%s%s" % (rc, out, err))
        return float(m.group(1))
