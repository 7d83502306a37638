"""strataperf against real NTP servers on loopback: Debian's chronyd (no clock control,
CAP_SYS_TIME dropped) and stratad when it is built. Short ladders, a few seconds each.

Environment (set by CTest): STRATA_BUILD_DIR, STRATA_PEERS_DIR (unpacked Debian chrony).
"""

import json
import os
import subprocess
import time
import unittest
import xml.etree.ElementTree as ET

from harness import STRATAPERF, StrataTestCase, free_udp_port


def run_perf(*args, timeout=60):
    return subprocess.run([STRATAPERF] + [str(a) for a in args], capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)


class PerfTestCase(StrataTestCase):
    """Runs strataperf against self.port and reads back its JSON result."""

    def perf_json(self, *args):
        out = self.path(f"run{time.monotonic_ns()}.json")
        r = run_perf(f"127.0.0.1:{self.port}", "--json", out, *args)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        with open(out) as f:
            return json.load(f), r, out

    def assert_named_counts(self, step, clients):
        """An interleaved run at a low rate: each client's first request names no earlier
        reply (it gets a basic one); every later request names one, and the server answers
        those interleaved."""
        valid = step["replies"]["basic"] + step["replies"]["interleaved"]
        unanswered = step["sent"] - valid
        self.assertGreaterEqual(valid - step["named_replies"], clients - unanswered)
        self.assertLessEqual(valid - step["named_replies"], clients + unanswered)
        self.assertEqual(step["named_interleaved"], step["replies"]["interleaved"])
        # stratad stamps only the replies of clients it knows to be interleaved, so it answers
        # a new client's first named request basic too (20 of ~780 named here).
        self.assertGreater(step["named_interleaved_pct"], 90)
        self.assertGreater(step["named_interleaved_pct"], step["interleaved_pct"])


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

    def test_hardware_timestamps_need_a_capable_interface(self):
        r = run_perf("127.0.0.1", "--hw", "lo", "--rate", "100", "--time", "0.5")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("--hw lo: no hardware timestamping", r.stderr)
        r = run_perf("127.0.0.1", "--hw", "nosuchif0", "--rate", "100", "--time", "0.5")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("--hw nosuchif0", r.stderr)

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
class AgainstChronyd(PerfTestCase):
    def setUp(self):
        super().setUp()
        self.port = free_udp_port()
        self.start_chronyd_server(self.port)

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
        self.assert_named_counts(step, clients=20)
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
        svg = self.path("plot.svg")
        r = run_perf("--plot", svg, "--from", many_path, "--from", mixed_path)
        self.assertEqual(r.returncode, 0, r.stderr)
        root = ET.parse(svg).getroot()  # well-formed XML
        texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
        self.assertIn("1M clients", texts)
        self.assertIn("mixed", texts)
        # The two-step mixed run draws lines (loss, RX mean/p99, basic and interleaved TX
        # mean/p99); the one-step run only markers.
        polylines = list(root.iter("{http://www.w3.org/2000/svg}polyline"))
        self.assertEqual(len(polylines), 7)
        circles = list(root.iter("{http://www.w3.org/2000/svg}circle"))
        self.assertGreaterEqual(len(circles), 2 * 3 + 3)

    def test_progress_line_only_on_a_tty(self):
        # Under a pseudo-terminal the live progress line appears (carriage returns).
        import pty
        out = b""
        pid, fd = pty.fork()
        if pid == 0:
            os.execv(STRATAPERF, [STRATAPERF, f"127.0.0.1:{self.port}", "--rate", "200",
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
class AgainstStratad(PerfTestCase):
    def setUp(self):
        super().setUp()
        self.port = free_udp_port()
        self.start_stratad("port %d\nbindaddress 127.0.0.1\nallow 127.0.0.0/8\nlocal stratum 1\n"
                           % self.port, wait_port=self.port)

    def test_basic_ladder(self):
        run, _, _ = self.perf_json("--rate", "200-800", "--step", "2", "--time", "1",
                                   "--clients", "50", "--label", "stratad")
        self.assertEqual([s["rate"] for s in run["steps"]], [200, 400, 800])
        first = run["steps"][0]
        self.assertLess(first["lost_pct"], 1.0)
        self.assertEqual(first["invalid_pct"], 0)
        for step in run["steps"]:
            valid = step["replies"]["basic"]
            self.assertGreater(valid, 0)
            self.assertGreaterEqual(step["tx_error_basic_ns"]["count"], 0.99 * valid)
            self.assertLess(abs(step["tx_error_basic_ns"]["p50"]), 100_000)
            self.assertGreaterEqual(step["rx_error_ns"]["count"], 0.99 * valid)
            self.assertLess(abs(step["rx_error_ns"]["p50"]), 100_000)

    def test_interleaved_mode(self):
        run, _, _ = self.perf_json("--rate", "400", "--time", "2", "--clients", "20",
                                   "--mode", "interleaved")
        step = run["steps"][0]
        self.assertLess(step["lost_pct"], 1.0)
        self.assertGreater(step["interleaved_pct"], 80)
        self.assert_named_counts(step, clients=20)
        self.assertGreater(step["tx_error_interleaved_ns"]["count"], 0.5 * step["sent"])
        self.assertLess(abs(step["tx_error_interleaved_ns"]["p50"]), 10_000)


if __name__ == "__main__":
    unittest.main()
