"""The control protocol against the real chronyc: Debian's chronyc 4.3 and stratactl talk to
control_test_server (the control server over a fake backend with fixed figures), over the
unix socket and over loopback UDP. Checks chronyc's exact output for every command,
stratactl's output line by line against chronyc's, authorisation, malformed packets, floods
and stratactl's error messages.

Environment (set by CTest): STRATA_BUILD_DIR, STRATA_PEERS_DIR.
"""

import json
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
SERVER = os.path.join(BUILD_DIR, "tests", "unit", "control", "control_test_server")
STRATACTL = os.path.join(BUILD_DIR, "tools", "stratactl", "stratactl")
CHRONYC = os.path.join(PEERS_DIR, "usr", "bin", "chronyc")


def free_port():
    """A port free on 127.0.0.1 and ::1 (UDP) right now."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        try:
            with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s6:
                s6.bind(("::1", port))
        except OSError:
            continue
        return port
    raise RuntimeError("no free port")


class ControlServer:
    """control_test_server in a temporary directory; stopped and removed by close()."""

    def __init__(self, *extra, udp=True):
        self.dir = tempfile.mkdtemp(prefix="strata-control-")
        os.chmod(self.dir, 0o755)
        self.socket = os.path.join(self.dir, "run", "stratad.sock")
        self.port = free_port() if udp else 0
        self.out_path = os.path.join(self.dir, "server.out")
        self._out = open(self.out_path, "wb")
        argv = [SERVER, "--socket", self.socket, "--udp-port", str(self.port)] + list(extra)
        self.proc = subprocess.Popen(argv, stdout=self._out, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 10
        while "ready" not in self.output():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.close()
                raise RuntimeError("control_test_server did not start: " + self.output())
            time.sleep(0.02)

    def output(self):
        self._out.flush()
        with open(self.out_path, "rb") as f:
            return f.read().decode(errors="replace")

    def kill(self, sig=signal.SIGTERM):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def close(self):
        self.kill()
        self._out.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def run(argv, timeout=30, **kw):
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout, **kw)


class ControlTestCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        for path, what in ((SERVER, "control_test_server"), (STRATACTL, "stratactl"), (CHRONYC, "chronyc")):
            if not os.access(path, os.X_OK):
                raise unittest.SkipTest(what + " not found at " + path)

    def setUp(self):
        self.server = ControlServer()
        self.addCleanup(self.server.close)

    def chronyc(self, *args, udp=False):
        target = ["-h", "127.0.0.1", "-p", str(self.server.port)] if udp else ["-h", self.server.socket]
        r = run([CHRONYC] + target + list(args))
        return r.stdout

    def stratactl(self, *args, udp=False, check=True):
        target = ["-h", "127.0.0.1", "-p", str(self.server.port)] if udp else ["-h", self.server.socket]
        r = run([STRATACTL] + target + list(args))
        if check:
            self.assertEqual(r.stderr, "", "stratactl " + " ".join(args))
        return r


TRACKING = """\
Reference ID    : C0000201 (192.0.2.1)
Stratum         : 3
Ref time (UTC)  : Sat Sep 29 11:46:08 2018
System time     : 0.000986114 seconds slow of NTP time
Last offset     : -0.000145085 seconds
RMS offset      : 0.000145085 seconds
Frequency       : 96.481 ppm slow
Residual freq   : -0.035 ppm
Skew            : 0.045 ppm
Root delay      : 0.045320999 seconds
Root dispersion : 0.001234500 seconds
Update interval : 64.4 seconds
Leap status     : Normal
"""

SOURCES_HEADER = """\
MS Name/IP address         Stratum Poll Reach LastRx Last sample               
===============================================================================
"""
SOURCES_ROWS = """\
^* 192.0.2.1                     2   6   377     4  +1070ns[  -38us] +/-   40ms
^+ 2001:db8::123                 1  10   177   25m   -250us[ -252us] +/-   13ms
#- GPS                           0   4   377    12  -2500us[-2500us] +/-  150us
^x 192.0.2.77                    4   8   352   11h  +125.2s[+125.2s] +/- 1500ms
=~ 192.0.2.88                   16  -3     1    4d   -12.3s[ -12.3s] +/- 9900ns
"""
UNRESOLVED_ROW = "^? ID#0000000001                 0   0     0     -     +0ns[   +0ns] +/-    0ns\n"

SOURCESTATS = """\
Name/IP Address            NP  NR  Span  Frequency  Freq Skew  Offset  Std Dev
==============================================================================
192.0.2.1                  12   7   702     -0.031      0.523  -1520ns    81us
2001:db8::123              30  16   11h     +1.234     12.500   -260us    95us
GPS                        64  33  1008     +0.002      0.011  -2498us   820ns
192.0.2.77                  4   2   60m    +150000   2000.000  +125.0s   12.0s
192.0.2.88                  3   3     5    -100000     100000   -500ms     5ns
"""

CLIENTS = """\
Hostname                      NTP   Drop Int IntL Last     Cmd   Drop Int  Last
===============================================================================
10.0.0.1                        1      0  -4   0     0       0      0   -     -
10.0.0.2                      101      1  -3   -  1000       0      0   -     -
10.0.0.3                      201      2  -2   2   33m       0      0   -     -
10.0.0.5                      401      4   0   4   66m       0      0   -     -
10.0.0.6                      501      5   1   -   83m       0      0   -     -
10.0.0.7                      601      6   2   6  100m       0      0   -     -
10.0.0.8                      701      7   3   -  116m       0      0   -     -
10.0.0.9                      801      8   4   8  133m       0      0   -     -
10.0.0.11                    1001     10   6  10  166m       0      0   -     -
10.0.0.12                    1101     11   7   -  183m       0      0   -     -
10.0.0.13                    1201     12   8  12  200m       0      0   -     -
10.0.0.14                    1301     13   9   -  216m       0      0   -     -
2001:db8::c1                    7      0   -   -     -       2      0   3    30
10.0.0.16                    1501     15  11   -  250m       0      0   -     -
"""

NTPDATA_192_0_2_1 = """\
Remote address  : 192.0.2.1 (C0000201)
Remote port     : 123
Local address   : 192.0.2.200 (C00002C8)
Leap status     : Normal
Version         : 4
Mode            : Server
Stratum         : 2
Poll interval   : 6 (64 seconds)
Precision       : -23 (0.000000119 seconds)
Root delay      : 0.001234 seconds
Root dispersion : 0.000567 seconds
Reference ID    : 47505300 ()
Reference time  : Sat Sep 29 11:45:00 2018
Offset          : +0.000001070 seconds
Peer delay      : 0.000189500 seconds
Peer dispersion : 0.000002345 seconds
Response time   : 0.000018750 seconds
Jitter asymmetry: -0.12
NTP tests       : 111 111 1111
Interleaved     : Yes
Authenticated   : No
TX timestamping : Kernel
RX timestamping : Hardware
Total TX        : 1000
Total RX        : 998
Total valid RX  : 997
Total good RX   : 990
"""
# What chrony 4.4+ adds to ntpdata (and stratactl prints when the daemon sends it).
NTPDATA_V2_LINES = """\
Total kernel TX : 500
Total kernel RX : 0
Total HW TX     : 400
Total HW RX     : 998
"""

ACTIVITY = """\
200 OK
3 sources online
1 sources offline
0 sources doing burst (return to online)
0 sources doing burst (return to offline)
1 sources with unknown address
"""


class ChronycAgainstControlServer(ControlTestCase):
    """The real chronyc prints the fake backend's figures exactly."""

    def test_tracking(self):
        self.assertEqual(self.chronyc("-n", "tracking"), TRACKING)
        # Over loopback UDP as well (an open command there).
        self.assertEqual(self.chronyc("-n", "tracking", udp=True), TRACKING)

    def test_sources_hides_unresolved_unless_all(self):
        self.assertEqual(self.chronyc("-n", "sources"), SOURCES_HEADER + SOURCES_ROWS)
        self.assertEqual(self.chronyc("-n", "sources", "-a"), SOURCES_HEADER + SOURCES_ROWS + UNRESOLVED_ROW)
        verbose = self.chronyc("-n", "sources", "-v")
        self.assertTrue(verbose.endswith(SOURCES_HEADER + SOURCES_ROWS), verbose)
        self.assertIn("Source mode", verbose)
        self.assertEqual(self.chronyc("-n", "sources", udp=True), SOURCES_HEADER + SOURCES_ROWS)

    def test_source_names(self):
        named = self.chronyc("-N", "sources")
        self.assertIn("^* ntp1.example.net              2   6   377", named)
        self.assertIn("=~ peer.example.net             16  -3     1", named)
        self.assertEqual(self.chronyc("sourcename", "192.0.2.1"), "ntp1.example.net\n")
        self.assertEqual(self.chronyc("sourcename", "ID#0000000001"), "pool.example.org\n")
        self.assertEqual(self.chronyc("sourcename", "198.51.100.9"), "503 No such source\n")

    def test_sourcestats(self):
        self.assertEqual(self.chronyc("-n", "sourcestats"), SOURCESTATS)
        self.assertEqual(self.chronyc("-n", "sourcestats", udp=True), SOURCESTATS)

    def test_serverstats_in_chrony_43_layout(self):
        out = self.chronyc("serverstats")
        lines = out.splitlines()
        self.assertEqual(len(lines), 11, out)
        # 2^32 + 1234567 packets: chronyc 4.3 has 32-bit fields and sees the low part.
        self.assertEqual(lines[0], "NTP packets received       : 1234567")
        self.assertEqual(lines[1], "NTP packets dropped        : 8910")
        self.assertRegex(lines[2], r"^Command packets received   : [1-9][0-9]*$")
        self.assertEqual(lines[3], "Command packets dropped    : 0")
        self.assertEqual(lines[4], "Client log records dropped : 3")
        self.assertEqual(lines[8], "Interleaved NTP packets    : 456")
        self.assertEqual(lines[9], "NTP timestamps held        : 789")
        self.assertEqual(lines[10], "NTP timestamp span         : 1011")

    def test_clients_over_two_pages(self):
        self.assertEqual(self.chronyc("-n", "clients"), CLIENTS)
        csv = self.chronyc("-c", "clients").splitlines()
        self.assertEqual(csv[0], "10.0.0.1,1,0,-4,0,0,0,0,127,4294967295")

    def test_ntpdata(self):
        self.assertEqual(self.chronyc("-n", "ntpdata", "192.0.2.1"), NTPDATA_192_0_2_1)
        everything = self.chronyc("-n", "ntpdata")
        # One report per NTP source (not the refclock, not the unresolved one), each after a
        # blank line.
        self.assertEqual(everything.count("Remote address  :"), 4, everything)
        self.assertTrue(everything.startswith("\n" + NTPDATA_192_0_2_1 + "\n"), everything)
        self.assertIn("Mode            : Symmetric active\n", everything)
        self.assertIn("Reference ID    : 50505300 (PPS)\n", everything)
        self.assertEqual(self.chronyc("ntpdata", "198.51.100.9"), "503 No such source\n")

    def test_activity(self):
        self.assertEqual(self.chronyc("activity"), ACTIVITY)
        self.assertEqual(self.chronyc("activity", udp=True), ACTIVITY)

    def test_makestep_only_over_the_unix_socket(self):
        self.assertEqual(self.chronyc("makestep", udp=True), "501 Not authorised\n")
        self.assertEqual(self.chronyc("makestep", "0.1", "3", udp=True), "501 Not authorised\n")
        self.assertNotIn("makestep", self.server.output())
        self.assertEqual(self.chronyc("makestep"), "200 OK\n")
        self.assertEqual(self.chronyc("makestep", "0.1", "3"), "200 OK\n")
        out = self.server.output()
        self.assertIn("makestep\n", out)
        self.assertIn("makestep 0.100000 3\n", out)

    def test_monitoring_that_chrony_keeps_local_is_not_authorised_over_udp(self):
        for command in (["serverstats"], ["clients"], ["ntpdata", "192.0.2.1"]):
            out = self.chronyc(*command, udp=True)
            self.assertTrue(out.endswith("501 Not authorised\n"), (command, out))

    def test_unimplemented_commands_get_chronys_statuses(self):
        self.assertEqual(self.chronyc("burst", "1/2"), "505 Facility not enabled in daemon\n")
        self.assertEqual(self.chronyc("local", "stratum", "10"), "505 Facility not enabled in daemon\n")
        self.assertEqual(self.chronyc("rtcdata"), "513 RTC driver not running\n")
        self.assertEqual(self.chronyc("burst", "1/2", udp=True), "501 Not authorised\n")
        # The server is unharmed and still answers.
        self.assertEqual(self.chronyc("-n", "tracking"), TRACKING)


def strip_legend(text):
    """Drops the lines above the header (the -v legends are in Strata's own words)."""
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith("MS Name") or line.startswith("Name/IP"):
            return "".join(lines[i:])
    return text


class StratactlMatchesChronyc(ControlTestCase):
    """stratactl prints what chronyc prints, line for line, for the same daemon."""

    def compare(self, *command, flags=("-n",), transform=lambda s: s):
        for f in ([], ["-n"], ["-c"]) if flags is None else [list(flags)]:
            expected = transform(self.chronyc(*(f + list(command))))
            got = self.stratactl(*(f + list(command))).stdout
            self.assertEqual(transform(got), expected, " ".join(f + list(command)))

    def test_identical_reports(self):
        for command in (["tracking"], ["sources"], ["sources", "-a"], ["sourcestats"],
                        ["sourcestats", "-a"], ["clients"], ["activity"], ["sourcename", "192.0.2.1"]):
            self.compare(*command, flags=None)

    def test_identical_with_source_names(self):
        self.compare("sources", flags=("-N",))
        self.compare("sourcestats", flags=("-N",))
        self.compare("tracking", flags=("-N",))

    def test_verbose_legends_then_identical_tables(self):
        for command in ("sources", "sourcestats"):
            chronyc = self.chronyc("-n", command, "-v")
            ours = self.stratactl("-n", command, "-v").stdout
            self.assertEqual(strip_legend(ours), strip_legend(chronyc))
            self.assertGreater(len(ours.splitlines()), len(strip_legend(ours).splitlines()))

    def test_serverstats_adds_chrony_44_lines(self):
        for f in ([], ["-c"]):
            chronyc = self.chronyc(*(f + ["serverstats"]))
            ours = self.stratactl(*(f + ["serverstats"])).stdout
            if f:
                fields_c, fields_s = chronyc.strip().split(","), ours.strip().split(",")
                self.assertEqual(len(fields_c), 11)
                self.assertEqual(len(fields_s), 17)
                self.assertEqual(int(fields_s[0]), (1 << 32) + 1234567)
                self.assertEqual(int(fields_s[0]) & 0xFFFFFFFF, int(fields_c[0]))
                self.assertEqual(fields_s[3:11], fields_c[3:11])
                self.assertEqual(fields_s[11:], ["10", "40", "20000", "50000", "30", "60"])
                continue
            lc, ls = chronyc.splitlines(), ours.splitlines()
            self.assertEqual(len(ls), 17, ours)
            self.assertEqual(ls[0], "NTP packets received       : 4296201863")
            # Same lines but the two that differ by design (64-bit count, this very request).
            for i in [1] + list(range(3, 11)):
                self.assertEqual(ls[i], lc[i])
            self.assertEqual(ls[11:], [
                "NTP daemon RX timestamps   : 10",
                "NTP daemon TX timestamps   : 40",
                "NTP kernel RX timestamps   : 20000",
                "NTP kernel TX timestamps   : 50000",
                "NTP hardware RX timestamps : 30",
                "NTP hardware TX timestamps : 60",
            ])

    def test_ntpdata_adds_chrony_44_lines(self):
        ours = self.stratactl("-n", "ntpdata", "192.0.2.1").stdout
        self.assertEqual(ours, self.chronyc("-n", "ntpdata", "192.0.2.1") + NTPDATA_V2_LINES)
        chronyc_all = self.chronyc("-n", "ntpdata").split("\n\n")
        ours_all = self.stratactl("-n", "ntpdata").stdout.split("\n\n")
        self.assertEqual(len(ours_all), len(chronyc_all))
        for c, s in zip(chronyc_all, ours_all):
            self.assertTrue(s.startswith(c), (c, s))
        csv_c = self.chronyc("-c", "ntpdata", "192.0.2.1").strip().split(",")
        csv_s = self.stratactl("-c", "ntpdata", "192.0.2.1").stdout.strip().split(",")
        self.assertEqual(csv_s[:len(csv_c)], csv_c)
        self.assertEqual(csv_s[len(csv_c):], ["500", "0", "400", "998"])

    def test_status_lines_match(self):
        self.assertEqual(self.stratactl("makestep", udp=True, check=False).stdout, "501 Not authorised\n")
        self.assertEqual(self.stratactl("makestep").stdout, "200 OK\n")
        self.assertEqual(self.stratactl("makestep", "0.1", "3").stdout, "200 OK\n")
        self.assertIn("makestep 0.100000 3", self.server.output())
        self.assertEqual(self.stratactl("ntpdata", "198.51.100.9", check=False).stdout, "503 No such source\n")
        self.assertEqual(self.stratactl("-n", "sources", udp=True).stdout, SOURCES_HEADER + SOURCES_ROWS)

    def test_multiple_commands(self):
        out = self.stratactl("-n", "-m", "tracking", "activity").stdout
        self.assertEqual(out, TRACKING + ACTIVITY)

    def test_workers(self):
        out = self.stratactl("workers").stdout.splitlines()
        self.assertEqual(len(out), 4, out)
        self.assertEqual(out[0], "Wkr CPU    Received     Replied    Dropped  RateLim Interleaved    KoD TX-lost")
        self.assertEqual(out[2], "  0   2     1000000      990000      10000      500         228      7       2")
        self.assertEqual(set(out[1]), {"="})
        self.assertEqual(out[2].split()[:8], ["0", "2", "1000000", "990000", "10000", "500", "228", "7"])
        self.assertEqual(out[3].split()[:3], ["1", "3", "1000001"])
        csv = self.stratactl("-c", "workers").stdout.splitlines()
        self.assertEqual(csv[1], "1,3,1000001,990001,10000,1000,228,8,5,10000,15,20,25000,30,2,1,4,12,6")
        # chronyc has no such command; chrony's daemon would answer "502 Invalid command".

    def test_json(self):
        tracking = json.loads(self.stratactl("--json", "tracking").stdout)
        self.assertEqual(tracking["reference_id"], "C0000201")
        self.assertEqual(tracking["reference_address"], "192.0.2.1")
        self.assertEqual(tracking["stratum"], 3)
        self.assertAlmostEqual(tracking["system_time_offset_s"], 0.000986114, places=10)
        self.assertAlmostEqual(tracking["frequency_ppm"], -96.481, places=4)
        self.assertEqual(tracking["leap_status"], "normal")
        sources = json.loads(self.stratactl("--json", "sources", "-a").stdout)["sources"]
        self.assertEqual(len(sources), 6)
        self.assertEqual(sources[0]["state"], "selected")
        self.assertEqual(sources[2]["mode"], "refclock")
        self.assertEqual(sources[2]["name"], "GPS")
        self.assertIsNone(sources[5]["last_sample_ago_s"])
        stats = json.loads(self.stratactl("--json", "serverstats").stdout)
        self.assertEqual(stats["ntp_packets_received"], (1 << 32) + 1234567)
        self.assertEqual(stats["ntp_hardware_tx_timestamps"], 60)
        clients = json.loads(self.stratactl("--json", "clients").stdout)["clients"]
        self.assertEqual(len(clients), 14)
        self.assertIsNone(clients[12]["ntp_last_ago_s"])
        ntp = json.loads(self.stratactl("--json", "ntpdata").stdout)["ntpdata"]
        self.assertEqual([n["remote_address"] for n in ntp], ["192.0.2.1", "2001:db8::123", "192.0.2.77", "192.0.2.88"])
        self.assertTrue(ntp[0]["interleaved"])
        workers = json.loads(self.stratactl("--json", "workers").stdout)["workers"]
        self.assertEqual(workers[1]["rx_timestamps"]["kernel"], 10000)
        self.assertEqual(workers[1]["tx_timestamps_shed"], 12)
        self.assertEqual(workers[1]["tx_timestamp_renumberings"], 6)
        activity = json.loads(self.stratactl("--json", "activity").stdout)
        self.assertEqual(activity["unresolved"], 1)
        self.assertEqual(json.loads(self.stratactl("--json", "makestep").stdout)["status"], 0)


class StratactlErrors(unittest.TestCase):
    """Clear messages when the daemon cannot be reached."""

    @classmethod
    def setUpClass(cls):
        if not os.access(STRATACTL, os.X_OK) or not os.access(SERVER, os.X_OK):
            raise unittest.SkipTest("stratactl or control_test_server not built")

    def test_no_daemon(self):
        with tempfile.TemporaryDirectory() as tmp:
            r = run([STRATACTL, "-h", os.path.join(tmp, "stratad.sock"), "tracking"])
            self.assertEqual(r.returncode, 1)
            self.assertEqual(r.stdout, "")
            self.assertIn("no socket at " + os.path.join(tmp, "stratad.sock"), r.stderr)
            self.assertIn("is stratad running", r.stderr)

    def test_fallback_to_udp_keeps_the_unix_reason(self):
        server = ControlServer()
        self.addCleanup(server.close)
        missing = os.path.join(server.dir, "nothere.sock")
        # The unix socket is missing: monitoring works over UDP, a modifying command says why
        # it is refused.
        r = run([STRATACTL, "-n", "-h", missing + ",127.0.0.1", "-p", str(server.port), "tracking"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, TRACKING)
        r = run([STRATACTL, "-h", missing + ",127.0.0.1", "-p", str(server.port), "makestep"])
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stdout, "501 Not authorised\n")
        self.assertIn("no socket at " + missing, r.stderr)
        # Nothing answers anywhere: both reasons are given.
        server.kill()
        r = run([STRATACTL, "-h", missing + ",127.0.0.1", "-p", str(server.port), "tracking"], timeout=60)
        self.assertEqual(r.returncode, 1)
        self.assertIn("127.0.0.1", r.stderr)
        self.assertIn("no socket at " + missing, r.stderr)

    def test_stale_socket(self):
        server = ControlServer(udp=False)
        self.addCleanup(server.close)
        server.kill(signal.SIGKILL)  # leaves the socket file behind
        self.assertTrue(os.path.exists(server.socket))
        r = run([STRATACTL, "-h", server.socket, "tracking"])
        self.assertEqual(r.returncode, 1)
        self.assertIn("nothing is listening on " + server.socket, r.stderr)

    def test_no_udp_daemon(self):
        r = run([STRATACTL, "-h", "127.0.0.1", "-p", str(free_port()), "tracking"], timeout=60)
        self.assertEqual(r.returncode, 1)
        self.assertIn("127.0.0.1", r.stderr)

    def test_permission_names_the_group_and_group_members_get_in(self):
        if os.geteuid() != 0 or shutil.which("setpriv") is None:
            self.skipTest("needs root and setpriv to act as another user")
        group = 47213  # an unused gid: the socket's group
        server = ControlServer("--group", str(group), udp=False)
        self.addCleanup(server.close)
        os.chmod(os.path.dirname(server.socket), 0o755)  # let others reach the socket itself
        nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"]
        r = run(nobody + [STRATACTL, "-h", server.socket, "tracking"])
        self.assertEqual(r.returncode, 1)
        self.assertIn("permission denied on " + server.socket, r.stderr)
        self.assertIn("member of group 47213", r.stderr)
        member = ["setpriv", "--reuid=65534", "--regid=65534", "--groups=%d" % group, "--"]
        r = run(member + [STRATACTL, "-n", "-h", server.socket, "tracking"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, TRACKING)
        # The directory the daemon created is closed to others.
        os.chmod(os.path.dirname(server.socket), 0o750)
        os.chown(os.path.dirname(server.socket), 0, group)
        r = run(nobody + [STRATACTL, "-h", server.socket, "tracking"])
        self.assertIn("permission denied on " + server.socket, r.stderr)
        r = run(member + [STRATACTL, "-n", "-h", server.socket, "tracking"])
        self.assertEqual(r.stdout, TRACKING, r.stderr)


def cmdmon_request(command, sequence, length):
    return struct.pack(">BBBBHHIII", 6, 1, 0, 0, command, 0, sequence, 0, 0).ljust(length, b"\0")


def serverstats_counts(text):
    received = int(re.search(r"Command packets received   : (\d+)", text).group(1))
    dropped = int(re.search(r"Command packets dropped    : (\d+)", text).group(1))
    return received, dropped


class HostileInput(ControlTestCase):
    def send_unix(self, payloads):
        with tempfile.TemporaryDirectory() as tmp:
            with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as s:
                s.bind(os.path.join(tmp, "c.sock"))
                s.settimeout(0.5)
                replies = []
                for p in payloads:
                    s.sendto(p, self.server.socket)
                    try:
                        replies.append(s.recv(4096))
                    except socket.timeout:
                        replies.append(None)
                return replies

    def test_malformed_packets_are_dropped_counted_and_harmless(self):
        before = serverstats_counts(self.chronyc("serverstats"))
        garbage = [b"", b"\x06", b"\x06\x01" + b"\0" * 10, os.urandom(100), b"\x06\x02" + b"\0" * 200,
                   b"\x06\x01\x01\x00" + b"\0" * 100, b"\x04\x01\x00\x00\x00\x21" + b"\0" * 100,
                   b"\0" * 2000]
        replies = self.send_unix(garbage)
        self.assertEqual(replies, [None] * len(garbage))
        after = serverstats_counts(self.chronyc("serverstats"))
        self.assertGreaterEqual(after[1] - before[1], len(garbage) - 1)  # the empty one may vanish
        # Errors that can be answered get a header-sized reply, never more than was sent.
        answered = self.send_unix([cmdmon_request(33, 1, 103),    # too short for TRACKING
                                   cmdmon_request(999, 2, 40),    # unknown command
                                   b"\x05" + cmdmon_request(33, 3, 104)[1:]])  # version 5
        self.assertEqual([len(r) for r in answered], [28, 28, 28])
        self.assertEqual([struct.unpack(">H", r[8:10])[0] for r in answered], [19, 3, 18])
        self.assertEqual(self.chronyc("-n", "tracking"), TRACKING)

    def test_udp_replies_are_never_longer_than_requests(self):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(0.3)
            for command, length in ((33, 28), (33, 103), (33, 104), (14, 32), (54, 72), (44, 30)):
                s.sendto(cmdmon_request(command, 7, length), ("127.0.0.1", self.server.port))
                try:
                    reply = s.recv(4096)
                except socket.timeout:
                    continue
                self.assertLessEqual(len(reply), length, (command, length))

    def test_a_flood_is_bounded_and_the_unix_socket_stays_responsive(self):
        self.server.close()
        self.server = ControlServer("--rate", "500", "--burst", "50")
        self.addCleanup(self.server.close)
        request = cmdmon_request(33, 9, 104)
        sent = 0
        start = time.monotonic()
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 16)
            while time.monotonic() - start < 1.0 and sent < 200000:
                s.sendto(request, ("127.0.0.1", self.server.port))
                sent += 1
            flood_seconds = time.monotonic() - start
            # The unix socket has its own budget: chronyc gets its answer during the flood.
            t0 = time.monotonic()
            self.assertEqual(self.chronyc("-n", "tracking"), TRACKING)
            self.assertLess(time.monotonic() - t0, 2.0)
            time.sleep(0.3)
            answered = 0
            s.setblocking(False)
            try:
                while True:
                    s.recv(4096)
                    answered += 1
            except BlockingIOError:
                pass
        elapsed = time.monotonic() - start
        received, dropped = serverstats_counts(self.chronyc("serverstats"))
        # At most the budget was answered over UDP; what was read beyond it, or overflowed
        # the kernel's buffer, was counted as dropped.
        self.assertLessEqual(answered, 50 + 500 * elapsed + 5)
        self.assertGreater(dropped, 0)
        print("flood: sent %d in %.2f s, answered %d, server counted %d received / %d dropped"
              % (sent, flood_seconds, answered, received, dropped))


if __name__ == "__main__":
    unittest.main()
