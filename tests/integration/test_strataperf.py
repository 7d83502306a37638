"""strataperf against real NTP servers on loopback: Debian's chronyd (no clock control,
CAP_SYS_TIME dropped) and stratad when it is built. Short ladders, a few seconds each.

Environment (set by CTest): STRATA_BUILD_DIR, STRATA_PEERS_DIR (unpacked Debian chrony).
"""

import json
import os
import shutil
import socket
import struct
import subprocess
import tempfile
import time
import unittest
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.path.dirname(os.path.dirname(HERE))
BUILD_DIR = os.environ.get("STRATA_BUILD_DIR", os.path.join(SOURCE_DIR, "build"))
PEERS_DIR = os.environ.get("STRATA_PEERS_DIR", os.path.join(SOURCE_DIR, ".deps", "chrony"))
STRATAPERF = os.path.join(BUILD_DIR, "tools", "strataperf", "strataperf")
STRATAD = os.path.join(BUILD_DIR, "server", "stratad")
CHRONYD = os.path.join(PEERS_DIR, "usr", "sbin", "chronyd")


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ntp_answers(port, timeout=0.3):
    """True if an NTP server answers a client request on 127.0.0.1:port."""
    request = b"\x23" + b"\x00" * 39 + struct.pack("!Q", 0x1234567800000000)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        try:
            s.sendto(request, ("127.0.0.1", port))
            data, _ = s.recvfrom(512)
            return len(data) >= 48 and (data[0] & 7) == 4
        except OSError:
            return False


class Server:
    """A server process on 127.0.0.1:port, stopped by stop() (also on test failure)."""

    def __init__(self, argv, port, workdir):
        self.port = port
        self.log_path = os.path.join(workdir, "server.log")
        self.log = open(self.log_path, "w")
        # Never let a test server touch the clock: no CAP_SYS_TIME in its bounding set.
        self.proc = subprocess.Popen(["setpriv", "--bounding-set", "-sys_time", "--"] + argv,
                                     stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            if ntp_answers(port):
                return
            time.sleep(0.1)
        self.stop()
        with open(self.log_path) as f:
            raise RuntimeError("server did not start answering: " + f.read()[-2000:])

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def start_chronyd(workdir):
    port = free_udp_port()
    conf = os.path.join(workdir, "chrony.conf")
    with open(conf, "w") as f:
        f.write(f"port {port}\nbindaddress 127.0.0.1\nallow 127.0.0.0/8\nlocal stratum 1\n"
                f"cmdport 0\npidfile {workdir}/chronyd.pid\ndriftfile {workdir}/drift\n")
    return Server([CHRONYD, "-x", "-d", "-u", "root", "-f", conf], port, workdir)


def start_stratad(workdir):
    port = free_udp_port()
    conf = os.path.join(workdir, "stratad.conf")
    with open(conf, "w") as f:
        f.write(f"port {port}\nbindaddress 127.0.0.1\nallow 127.0.0.0/8\nlocal stratum 1\n"
                f"cmdport 0\npidfile {workdir}/stratad.pid\ndriftfile {workdir}/drift\n")
    return Server([STRATAD, "-x", "-d", "-f", conf], port, workdir)


def run_perf(*args, timeout=60):
    return subprocess.run([STRATAPERF] + [str(a) for a in args], capture_output=True, text=True,
                          timeout=timeout)


@unittest.skipUnless(os.path.exists(STRATAPERF), "strataperf is not built")
class CommandLineErrors(unittest.TestCase):
    def test_bad_address(self):
        r = run_perf("300.0.0.1")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("bad server address", r.stderr)

    def test_impossible_rate(self):
        r = run_perf("127.0.0.1", "--rate", "50M")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("impossible", r.stderr)

    def test_non_local_target_is_refused_without_sending(self):
        # 198.51.100.1 (TEST-NET-2): either no route at all or a route off this host; connect()
        # of a UDP socket sends nothing in either case.
        r = run_perf("198.51.100.1", "--source", "127.0.0.0/8", "--rate", "1000", "--time", "1")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertTrue("not on this host" in r.stderr or "unreachable" in r.stderr, r.stderr)

    def test_nothing_listening(self):
        r = run_perf(f"127.0.0.1:{free_udp_port()}", "--rate", "100", "--time", "0.5")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("nothing answers NTP", r.stderr)

    def test_client_addresses_must_be_local(self):
        # Checked before anything is sent, so no server is needed.
        r = run_perf(f"127.0.0.1:{free_udp_port()}", "--source", "198.51.100.0/24",
                     "--clients", "10", "--rate", "100", "--time", "0.5")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("198.51.100.1 is not configured on this host", r.stderr)

    def test_more_clients_than_source_addresses(self):
        r = run_perf("127.0.0.1", "--source", "127.9.0.0/24", "--clients", "300")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("has only 254", r.stderr)


@unittest.skipUnless(os.path.exists(STRATAPERF), "strataperf is not built")
@unittest.skipUnless(os.path.exists(CHRONYD), "chronyd is not unpacked (scripts/install-deps)")
class AgainstChronyd(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="strataperf-test-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.server = start_chronyd(self.dir)
        self.addCleanup(self.server.stop)

    def perf_json(self, *args):
        out = os.path.join(self.dir, f"run{time.monotonic_ns()}.json")
        r = run_perf(f"127.0.0.1:{self.server.port}", "--json", out, *args)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        with open(out) as f:
            return json.load(f), r, out

    def test_basic_ladder(self):
        # Low rates: chronyd reads its socket (default 208 KiB buffer) from one thread, and on
        # a busy 2-core machine it can wait for a CPU long enough for bursts to overflow it.
        run, r, _ = self.perf_json("--rate", "200-800", "--step", "2", "--time", "1",
                                   "--clients", "50", "--label", "chronyd")
        self.assertEqual([s["rate"] for s in run["steps"]], [200, 400, 800])
        self.assertEqual(run["stop_reason"], "top of the rate range reached")
        # The table went to stdout, without a progress line (stdout is not a TTY).
        self.assertIn("rate/s", r.stdout)
        self.assertNotIn("\r", r.stdout)
        first = run["steps"][0]
        self.assertGreaterEqual(first["sent"], 198)
        self.assertLess(first["lost_pct"], 1.0)  # no loss at a low rate
        self.assertEqual(first["invalid_pct"], 0)
        self.assertEqual(first["basic_pct"], 100)
        self.assertEqual(first["tx_stamps"], first["sent"])
        self.assertEqual(first["tx_stamp_mismatch"], 0)
        # chronyd follows the RFC 9769 low-bit convention in every reply.
        self.assertEqual(first["low_bit_convention"], first["replies"]["basic"])
        for step in run["steps"]:
            tx = step["tx_error_basic_ns"]
            rx = step["rx_error_ns"]
            valid = step["replies"]["basic"]
            self.assertGreater(valid, 0)
            # Every valid reply measures both errors (kernel RX and TX stamps all matched).
            self.assertGreaterEqual(tx["count"], 0.99 * valid)
            self.assertGreaterEqual(rx["count"], 0.99 * valid)
            # chronyd stamps its basic-mode transmit timestamp before the send path: the
            # error is positive and in the microsecond range.
            self.assertGreater(tx["mean"], 0)
            self.assertGreater(tx["p50"], 0)
            self.assertLess(tx["p50"], 100_000)
            self.assertLess(abs(rx["p50"]), 100_000)

    def test_interleaved_mode(self):
        run, _, _ = self.perf_json("--rate", "400", "--time", "2", "--clients", "20",
                                   "--mode", "interleaved")
        step = run["steps"][0]
        self.assertLess(step["lost_pct"], 1.0)
        # Each client's first exchange is basic; after that chronyd answers interleaved.
        self.assertGreater(step["interleaved_pct"], 80)
        xl = step["tx_error_interleaved_ns"]
        basic = step["tx_error_basic_ns"]
        self.assertGreater(xl["count"], 0.5 * step["sent"])
        # The precise (kernel) transmit timestamp is much closer to our receive stamp than
        # chronyd's basic-mode one, which is taken before the send path.
        self.assertLess(abs(xl["p50"]), 10_000)
        self.assertGreater(basic["count"], 0)
        self.assertLess(xl["p50"], basic["p50"])

    def test_million_clients_and_plot_overlay(self):
        # A million distinct client addresses (127.0.0.1 .. 127.15.66.64), each sending at most
        # once in this short step: the engine and the server's client log cope.
        many, _, many_path = self.perf_json("--rate", "1000", "--time", "1", "--clients",
                                            "1000000", "--label", "1M clients")
        step = many["steps"][0]
        self.assertEqual(many["clients"], 1000000)
        self.assertGreaterEqual(step["sent"], 990)
        self.assertLess(step["lost_pct"], 20.0)
        self.assertEqual(step["wrong_address"], 0)
        self.assertEqual(step["tx_stamp_mismatch"], 0)
        mixed, _, mixed_path = self.perf_json("--rate", "300-600", "--step", "2", "--time",
                                              "1", "--clients", "20", "--mode", "mixed",
                                              "--label", "mixed")
        self.assertGreater(mixed["steps"][-1]["interleaved_pct"], 30)
        self.assertGreater(mixed["steps"][-1]["basic_pct"], 30)
        svg = os.path.join(self.dir, "plot.svg")
        r = run_perf("--plot", svg, "--from", many_path, "--from", mixed_path)
        self.assertEqual(r.returncode, 0, r.stderr)
        root = ET.parse(svg).getroot()  # well-formed XML
        texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
        self.assertIn("1M clients", texts)
        self.assertIn("mixed", texts)
        polylines = list(root.iter("{http://www.w3.org/2000/svg}polyline"))
        self.assertGreaterEqual(len(polylines), 2 * 5)

    def test_progress_line_only_on_a_tty(self):
        # Under a pseudo-terminal the live progress line appears (carriage returns).
        import pty
        out = b""
        pid, fd = pty.fork()
        if pid == 0:
            os.execv(STRATAPERF, [STRATAPERF, f"127.0.0.1:{self.server.port}", "--rate", "200",
                                  "--time", "1", "--clients", "5"])
        try:
            while True:
                try:
                    chunk = os.read(fd, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                out += chunk
        finally:
            _, status = os.waitpid(pid, 0)
            os.close(fd)
        self.assertEqual(os.waitstatus_to_exitcode(status), 0, out)
        self.assertIn(b"\r  step 1/1", out)
        self.assertIn(b"rate/s", out)


@unittest.skipUnless(os.path.exists(STRATAPERF), "strataperf is not built")
@unittest.skipUnless(os.path.exists(STRATAD), "stratad is not built yet")
class AgainstStratad(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="strataperf-test-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.server = start_stratad(self.dir)
        self.addCleanup(self.server.stop)

    def test_basic_and_interleaved(self):
        out = os.path.join(self.dir, "stratad.json")
        r = run_perf(f"127.0.0.1:{self.server.port}", "--rate", "500-2000", "--step", "2",
                     "--time", "1", "--clients", "50", "--mode", "mixed", "--json", out)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        with open(out) as f:
            run = json.load(f)
        first = run["steps"][0]
        self.assertLess(first["lost_pct"], 1.0)
        self.assertEqual(first["invalid_pct"], 0)
        self.assertGreater(first["interleaved_pct"], 20)
        for step in run["steps"]:
            self.assertGreater(step["tx_error_basic_ns"]["count"], 0)
            self.assertLess(abs(step["tx_error_basic_ns"]["p50"]), 100_000)
            self.assertLess(abs(step["rx_error_ns"]["p50"]), 100_000)


if __name__ == "__main__":
    unittest.main()
