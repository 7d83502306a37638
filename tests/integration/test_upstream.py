"""stratad's upstream NTP sources end to end, on loopback and in private namespaces, without
touching the clock (stratad -x, and no CAP_SYS_TIME): synchronisation to the test server
(strata-ntp-test-server) in interleaved mode, chronyc's and stratactl's view of it, a
falseticker among three servers, a real chronyd upstream, and bad input (kiss-o'-death
floods, DENY, unreachable ports, malformed/duplicate/replayed replies, datagrams from
strangers, DNS failure) handled and counted without a crash. Pool resolution and the
replacement of an unreachable member run in a private network and mount namespace with its
own /etc/hosts (skipped without unshare/root).
"""

import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import threading
import time
import unittest

from harness import CHRONYC, NO_SYS_TIME, STRATACTL, STRATAD, StrataTestCase, free_udp_port
from upstream_helpers import (TEST_SERVER, chronyc, json_lines, ntpdata_fields, source_rows,
                              start_test_server, stratactl, stratad_config, wait_for, wait_socket)

NTP_EPOCH = 2208988800


def ntp_now():
    t = time.time_ns()
    sec, ns = divmod(t, 1_000_000_000)
    return ((sec + NTP_EPOCH) << 32) | ((ns << 32) // 1_000_000_000)


@unittest.skipUnless(os.path.exists(STRATAD), "stratad not built")
@unittest.skipUnless(shutil.which("setpriv"), "setpriv (util-linux) missing")
class UpstreamSources(StrataTestCase):
    def start(self, sources, extra=()):
        self.sock = self.path("stratad.sock")
        self.ntp_port = free_udp_port()
        p = self.start_stratad(stratad_config(self.ntp_port, self.sock, sources, extra))
        wait_socket(self, self.sock)
        return p

    def sources(self):
        return source_rows(stratactl(self, self.sock, "sources"))

    def test_synchronises_to_the_test_server_in_interleaved_mode(self):
        port = free_udp_port()
        server, model = start_test_server(self, "upstream", port, "--offset", "0.037", "--drift",
                                          "50", "--jitter", "10e-6")
        daemon = self.start(["server 127.0.0.1 port %d minpoll -2 maxpoll -2 iburst xleave" % port])
        wait_for(self, lambda: (self.sources().get("127.0.0.1", ("", ""))[1] == "*",
                                stratactl(self, self.sock, "sources")), 15, "^* in sources")
        time.sleep(3)
        rows = self.sources()
        self.assertEqual(rows["127.0.0.1"][:4], ("^", "*", 1, -2))
        nd = ntpdata_fields(stratactl(self, self.sock, "ntpdata", "127.0.0.1"))
        self.assertEqual(nd["Interleaved"], "Yes")
        self.assertEqual(nd["TX timestamping"], "Kernel")
        self.assertEqual(nd["RX timestamping"], "Kernel")
        self.assertEqual(nd["NTP tests"], "111 111 1111")
        self.assertEqual(nd["Remote port"], str(port))
        self.assertEqual(nd["Reference ID"], "54455354 (TEST)")
        tracking = stratactl(self, self.sock, "tracking")
        self.assertIn("Stratum         : 2", tracking)

        # The upstream gains 50 ppm on our clock: our clock is that much slow. A few seconds
        # of 0.25 s polls with 10 us of jitter (and a loaded machine's loopback delays) leave
        # the first estimates a few ppm off (CI saw 56.3 after 3 s), so wait for it to settle.
        def frequency_settled():
            text = stratactl(self, self.sock, "tracking")
            freq = re.search(r"Frequency\s+: ([0-9.]+) ppm slow", text)
            return freq is not None and abs(float(freq.group(1)) - 50.0) <= 5.0, text
        wait_for(self, frequency_settled, 30, "a frequency within 5 ppm of 50 ppm slow")
        # The real chronyc sees the same, through stratad's control socket.
        if os.path.exists(CHRONYC):
            self.assertEqual(source_rows(chronyc(self, self.sock, "sources"))["127.0.0.1"][:2],
                             ("^", "*"))
            activity = chronyc(self, self.sock, "activity")
            self.assertIn("1 sources online", activity)
            self.assertIn("0 sources with unknown address", activity)
            self.assertIn("Interleaved     : Yes", chronyc(self, self.sock, "ntpdata", "127.0.0.1"))
        self.assertTrue(daemon.alive())

    def test_leap_announcement_stratum_and_measurements_log(self):
        port = free_udp_port()
        start_test_server(self, "leap", port, "--leap", "insert", "--stratum", "3", "--refid",
                          "192.0.2.7")
        logdir = self.path("log")
        self.start(["server 127.0.0.1 port %d minpoll -3 maxpoll -3 iburst" % port],
                   extra=["logdir %s" % logdir, "log measurements"])
        wait_for(self, lambda: (self.sources().get("127.0.0.1", ("", ""))[1] == "*",
                                stratactl(self, self.sock, "sources")), 15, "^*")
        nd = ntpdata_fields(stratactl(self, self.sock, "ntpdata", "127.0.0.1"))
        self.assertEqual(nd["Leap status"], "Insert second")
        self.assertEqual(nd["Stratum"], "3")
        self.assertTrue(nd["Reference ID"].startswith("C0000207"), nd["Reference ID"])
        self.assertIn("Stratum         : 4", stratactl(self, self.sock, "tracking"))
        time.sleep(2)
        with open(os.path.join(logdir, "measurements.log")) as f:
            rows = [l for l in f if "127.0.0.1" in l]
        self.assertGreater(len(rows), 5)
        # date time address leap stratum tests(3) poll poll score offset ... refid mode+I/B K K
        fields = rows[-1].split()
        self.assertEqual(fields[2:8], ["127.0.0.1", "+", "3", "111", "111", "1111"])
        self.assertEqual(fields[-3:], ["4B", "K", "K"])

    def test_falseticker_among_three_servers_is_rejected(self):
        port = free_udp_port()
        for i, offset in ((2, "0.000"), (3, "0.000"), (4, "0.005")):
            start_test_server(self, "s%d" % i, port, "--offset", offset, "--jitter", "2e-6",
                              address="127.0.0.%d" % i)
        self.start(["server 127.0.0.%d port %d minpoll -3 maxpoll -3 iburst" % (i, port)
                    for i in (2, 3, 4)])

        def settled():
            rows = self.sources()
            states = {n: r[1] for n, r in rows.items()}
            ok = states.get("127.0.0.4") == "x" and states.get("127.0.0.2") in "*+" and \
                states.get("127.0.0.3") in "*+" and "*" in states.values()
            return ok, stratactl(self, self.sock, "sources")
        wait_for(self, settled, 30, "the 5 ms server marked x")
        if os.path.exists(CHRONYC):
            rows = source_rows(chronyc(self, self.sock, "sources"))
            self.assertEqual(rows["127.0.0.4"][1], "x")
            self.assertIn(rows["127.0.0.2"][1], "*+")
        # The served time follows the truechimers, not the falseticker.
        tracking = stratactl(self, self.sock, "tracking")
        self.assertRegex(tracking, r"Reference ID\s+: 7F00000[23]")

    def test_synchronises_to_a_real_chronyd(self):
        self.require_chrony()
        port = free_udp_port()
        self.start_chronyd_server(port)
        self.start(["server 127.0.0.1 port %d minpoll -2 maxpoll -2 iburst xleave" % port])
        wait_for(self, lambda: (self.sources().get("127.0.0.1", ("", ""))[1] == "*",
                                stratactl(self, self.sock, "sources")), 20, "^* on chronyd")
        time.sleep(2)
        nd = ntpdata_fields(stratactl(self, self.sock, "ntpdata", "127.0.0.1"))
        self.assertEqual(nd["Stratum"], "1")
        self.assertEqual(nd["NTP tests"], "111 111 1111")
        self.assertEqual(nd["Interleaved"], "Yes")  # chronyd serves interleaved mode
        # chronyd serves this machine's clock: the measured offset is a few microseconds.
        offset = float(nd["Offset"].split()[0])
        self.assertLess(abs(offset), 100e-6, nd)

    def test_kiss_of_death_rate_flood_backs_off_to_maxpoll(self):
        port = free_udp_port()
        server, _ = start_test_server(self, "rate", port, "--kod", "rate")
        daemon = self.start(["server 127.0.0.1 port %d minpoll -3 maxpoll 1" % port])
        wait_for(self, lambda: (self.sources().get("127.0.0.1", (0, 0, 0, 0))[3] == 1,
                                stratactl(self, self.sock, "sources")), 15, "poll 1 after RATE")
        time.sleep(4)
        server.stop()
        requests = json_lines(server)[-1]["requests"]
        self.assertLess(requests, 14)  # about 4 to reach maxpoll, then one per 2 s
        self.assertEqual(self.sources()["127.0.0.1"][4], 0)  # a kiss is not an answer
        self.assertTrue(daemon.alive())
        self.assertIn("kiss-o'-death RATE", daemon.output())

    def test_deny_stops_requests_and_unreachable_port_is_harmless(self):
        port = free_udp_port()
        closed = free_udp_port()
        server, _ = start_test_server(self, "deny", port, "--kod", "deny")
        daemon = self.start(["server 127.0.0.1 port %d minpoll -4 maxpoll -4" % port,
                             "server 127.0.0.2 port %d minpoll -4 maxpoll -4" % closed])
        time.sleep(3)
        server.stop()
        self.assertEqual(json_lines(server)[-1]["requests"], 1)
        rows = self.sources()
        self.assertEqual(rows["127.0.0.1"][4], 0)
        self.assertEqual(rows["127.0.0.2"][4], 0)
        self.assertEqual(rows["127.0.0.2"][1], "?")
        activity = stratactl(self, self.sock, "activity")
        self.assertIn("1 sources online", activity)
        self.assertIn("1 sources offline", activity)
        self.assertTrue(daemon.alive())
        self.assertIn("DENY", daemon.output())
        self.assertFalse(self.sources() == {})

    def test_bad_replies_and_strangers_are_counted(self):
        """A misbehaving server answers each request with a malformed packet, a replay of an
        old reply, a reply with a wrong origin, the valid reply, and a duplicate of it; a
        stranger sprays the client's acquisition port. stratad uses the valid replies only."""
        srv = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        srv.bind(("127.0.0.1", 0))
        port = srv.getsockname()[1]
        acq = free_udp_port()
        stop = threading.Event()

        def serve():
            old = None
            srv.settimeout(0.1)
            while not stop.is_set():
                try:
                    req, addr = srv.recvfrom(512)
                except socket.timeout:
                    continue
                if len(req) < 48:
                    continue
                rx = ntp_now() | 1
                tx = ntp_now() & ~1
                head = bytes([0x24, 2, req[2], 0xEC]) + struct.pack("!II", 0, 0x10) + b"TEST"
                reply = head + struct.pack("!QQQQ", rx - (1 << 32), req[40:48] and
                                           struct.unpack("!Q", req[40:48])[0], rx, tx)
                srv.sendto(b"\x24\x02\x06", addr)  # malformed
                if old is not None:
                    srv.sendto(old, addr)  # replayed
                bogus = bytearray(reply)
                bogus[24:32] = struct.pack("!Q", 0x0123456789ABCDEF)
                srv.sendto(bytes(bogus), addr)  # wrong origin
                srv.sendto(reply, addr)
                srv.sendto(reply, addr)  # duplicate
                old = reply
        t = threading.Thread(target=serve)
        t.start()
        self.addCleanup(lambda: (stop.set(), t.join(), srv.close()))
        daemon = self.start(["server 127.0.0.1 port %d minpoll -3 maxpoll -3 iburst" % port],
                            extra=["acquisitionport %d" % acq])
        stranger = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.addCleanup(stranger.close)
        wait_for(self, lambda: (self.sources().get("127.0.0.1", ("", ""))[1] == "*",
                                stratactl(self, self.sock, "sources")), 15, "sync despite junk")
        for _ in range(50):
            stranger.sendto(bytes([0x24, 2]) + bytes(46), ("127.0.0.1", acq))
        time.sleep(2)
        nd = ntpdata_fields(stratactl(self, self.sock, "ntpdata", "127.0.0.1"))
        total, valid, good = (int(nd["Total RX"]), int(nd["Total valid RX"]),
                              int(nd["Total good RX"]))
        self.assertGreater(good, 10)
        # Only the real replies are valid; some real ones fail a delay test (tests A-C) when
        # this Python server is slow on a loaded machine (CI saw 4 of ~30).
        self.assertGreaterEqual(valid, good)
        self.assertLessEqual(valid - good, max(3, good // 5))
        self.assertGreaterEqual(total, 4 * good)  # malformed, replayed, bogus, duplicate
        log = daemon.output()
        for phrase in ("malformed packet", "duplicate response", "matches no request",
                       "which is no source"):
            self.assertIn(phrase, log)
        self.assertTrue(daemon.alive())


def namespaces_available():
    if os.geteuid() != 0 or not all(shutil.which(t) for t in ("unshare", "nsenter", "ip")):
        return False
    r = subprocess.run(["unshare", "-m", "-n", "--", "true"], stderr=subprocess.DEVNULL)
    return r.returncode == 0


@unittest.skipUnless(os.path.exists(STRATAD) and os.path.exists(TEST_SERVER), "not built")
@unittest.skipUnless(namespaces_available(), "needs root and unshare for private namespaces")
class UpstreamNames(StrataTestCase):
    """stratad and its upstream servers in a private network and mount namespace whose
    /etc/hosts maps pool.test to 127.0.0.2-4 and whose resolver (127.0.0.1:53, nothing
    there) fails at once: no lookup leaves the namespace."""

    def start_in_namespace(self, sources, servers=()):
        self.sock = self.path("stratad.sock")
        hosts = self.write("hosts", "127.0.0.1 localhost\n" + "".join(
            "127.0.0.%d pool.test\n" % i for i in (2, 3, 4)))
        resolv = self.write("resolv.conf", "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n")
        conf = self.write("stratad.conf", stratad_config(free_udp_port(), self.sock, sources))
        lines = ["set -e", "ip link set lo up", "mount --bind %s /etc/hosts" % hosts,
                 "mount --bind %s /etc/resolv.conf" % resolv]
        for name, address, port in servers:
            lines.append("%s --listen %s:%d --duration 120 -q & echo $! > %s" %
                         (TEST_SERVER, address, port, self.path(name + ".pid")))
        lines.append("exec %s -x -d -f %s" % (STRATAD, conf))
        script = self.write("ns.sh", "\n".join(lines) + "\n")
        p = self.spawn("stratad", NO_SYS_TIME + ["unshare", "-m", "-n", "--", "sh", script])
        self.addCleanup(self.kill_group, p)
        self.daemon = p
        wait_socket(self, self.sock)
        return p

    @staticmethod
    def kill_group(p):
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def ctl(self, *args):
        """stratactl inside the daemon's network namespace (its reply socket is abstract)."""
        rc, out, err = self.run_tool(["nsenter", "-t", str(self.daemon.pid), "-n", "--", STRATACTL,
                                      "-n", "-h", self.sock] + list(args))
        self.assertEqual(rc, 0, out + err)
        return out

    def sources(self):
        return source_rows(self.ctl("sources"))

    def test_pool_takes_maxsources_and_replaces_an_unreachable_member(self):
        port = 12123
        daemon = self.start_in_namespace(
            ["pool pool.test port %d maxsources 2 minpoll -3 maxpoll -3 iburst" % port],
            servers=[("a", "127.0.0.2", port), ("b", "127.0.0.3", port), ("c", "127.0.0.4", port)])

        def two_members():
            rows = self.sources()
            return sorted(rows) == ["127.0.0.2", "127.0.0.3"] and \
                all(r[4] for r in rows.values()), self.ctl("sources")
        wait_for(self, two_members, 15, "two pool members answering")
        with open(self.path("b.pid")) as f:
            os.kill(int(f.read()), signal.SIGKILL)

        def replaced():
            rows = self.sources()
            return sorted(rows) == ["127.0.0.2", "127.0.0.4"] and rows["127.0.0.4"][4] != 0, \
                self.ctl("sources")
        wait_for(self, replaced, 30, "127.0.0.3 replaced by 127.0.0.4")
        self.assertIn("retired: unreachable", daemon.output())
        activity = self.ctl("activity")
        online = int(re.search(r"(\d+) sources online", activity).group(1))
        burst = int(re.search(r"(\d+) sources doing burst \(return to online\)", activity).group(1))
        self.assertEqual(online + burst, 2, activity)  # the new member may still be in its iburst

    def test_dns_failure_is_retried_and_reported_as_unknown_address(self):
        daemon = self.start_in_namespace(["server no-such-host.test iburst",
                                          "pool no-such-pool.test maxsources 3"])
        time.sleep(4)
        activity = self.ctl("activity")
        self.assertIn("4 sources with unknown address", activity)
        self.assertIn("cannot resolve no-such-host.test", daemon.output())
        self.assertTrue(daemon.alive())


if __name__ == "__main__":
    unittest.main()
