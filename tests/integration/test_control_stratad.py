"""The real chronyc and stratactl against stratad itself (not the fake backend): stratad -x -d
under setpriv with a `bindcmdaddress` socket in the test's directory, loopback `cmdport` and a
`metricsport`. The figures are live, so the checks are on structure and on counters the test
drives (NTP requests it sends).

Skips (with the reason) while stratad does not host the control server: the daemon side —
a ControlBackend over the serving engine and time keeper, and the ControlServer/
MetricsServer in its event loop — is the daemon's assembly work.
"""

import json
import os
import re
import time
import unittest
import urllib.request

from harness import CHRONYC, STRATACTL, StrataTestCase, client_request, free_udp_port, send_and_receive


class StratadControl(StrataTestCase):
    def setUp(self):
        super().setUp()
        self.ntp_port = free_udp_port()
        self.cmd_port = free_udp_port()
        self.metrics_port = free_udp_port()
        self.socket = self.path("run/stratad.sock")
        config = "\n".join([
            "port %d" % self.ntp_port, "bindaddress 127.0.0.1", "allow 127.0.0.1",
            "local stratum 10", "workers 2",
            "bindcmdaddress %s" % self.socket, "cmdport %d" % self.cmd_port,
            "metricsport %d" % self.metrics_port, ""])
        self.daemon = self.start_stratad(config, wait_port=self.ntp_port)
        deadline = time.time() + 3
        while not os.path.exists(self.socket) and time.time() < deadline:
            time.sleep(0.05)
        if not os.path.exists(self.socket):
            self.skipTest("stratad does not host the control server yet (no socket at bindcmdaddress)")

    def chronyc(self, *args, udp=False):
        target = ["-h", "127.0.0.1", "-p", str(self.cmd_port)] if udp else ["-h", self.socket]
        rc, out, err = self.run_tool([CHRONYC, "-n"] + target + list(args))
        return out

    def stratactl(self, *args):
        rc, out, err = self.run_tool([STRATACTL, "-n", "-h", self.socket] + list(args))
        self.assertEqual(err, "")
        self.assertEqual(rc, 0, out)
        return out

    def test_socket_permissions(self):
        st = os.stat(self.socket)
        self.assertEqual(st.st_mode & 0o777, 0o660)
        self.assertEqual(os.stat(os.path.dirname(self.socket)).st_mode & 0o777, 0o750)

    def test_tracking_and_sources(self):
        tracking = self.chronyc("tracking")
        labels = [line.split(":")[0].strip() for line in tracking.splitlines()]
        self.assertEqual(labels, ["Reference ID", "Stratum", "Ref time (UTC)", "System time",
                                  "Last offset", "RMS offset", "Frequency", "Residual freq", "Skew",
                                  "Root delay", "Root dispersion", "Update interval", "Leap status"])
        self.assertIn("Stratum         : 10\n", tracking)
        ours = self.stratactl("tracking")
        # Same labels and the figures that do not move between the two calls.
        for a, b in zip(tracking.splitlines(), ours.splitlines()):
            if not a.startswith(("Ref time", "System time", "Root dispersion")):
                self.assertEqual(a, b)
        self.assertEqual(self.chronyc("sources"), self.stratactl("sources"))
        self.assertEqual(self.chronyc("tracking", udp=True).splitlines()[:2], tracking.splitlines()[:2])

    def test_serverstats_count_what_we_sent(self):
        before = int(re.search(r"NTP packets received\s+: (\d+)", self.chronyc("serverstats")).group(1))
        answered = sum(send_and_receive(("127.0.0.1", self.ntp_port), client_request()) is not None
                       for _ in range(20))
        self.assertEqual(answered, 20)
        time.sleep(0.2)
        after = int(re.search(r"NTP packets received\s+: (\d+)", self.chronyc("serverstats")).group(1))
        self.assertGreaterEqual(after - before, 20)
        workers = json.loads(self.stratactl("--json", "workers"))["workers"]
        self.assertEqual(len(workers), 2)
        self.assertGreaterEqual(sum(w["received"] for w in workers), after)

    def test_authorisation(self):
        self.assertEqual(self.chronyc("makestep", udp=True), "501 Not authorised\n")
        self.assertEqual(self.chronyc("serverstats", udp=True), "501 Not authorised\n")

    def test_metrics(self):
        with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % self.metrics_port, timeout=5) as r:
            text = r.read().decode()
        self.assertRegex(text, r"(?m)^strata_ntp_packets_received_total \d+$")
        self.assertRegex(text, r'(?m)^strata_worker_received_total\{worker="1",cpu="[0-9]*"\} \d+$')
        self.assertRegex(text, r"(?m)^strata_tracking_stratum 10$")

    def test_chronyd_client_in_interleaved_mode(self):
        # Debian's chronyd as an xleave client of stratad (chronyd -x, client only: port 0).
        self.require_chrony()
        rundir = self.path("chronyd-run")
        os.makedirs(rundir, mode=0o700)
        conf = self.write("chronyd-client.conf", "\n".join([
            "port 0", "server 127.0.0.1 port %d xleave minpoll -4 maxpoll -4 iburst" % self.ntp_port,
            "cmdport 0", "bindcmdaddress %s/chronyd.sock" % rundir,
            "pidfile %s/chronyd.pid" % rundir, ""]))
        client = self.spawn("chronyd-client", self.chronyd_argv("-d", "-f", conf))
        chrony_socket = os.path.join(rundir, "chronyd.sock")

        def ntpdata():
            if not os.path.exists(chrony_socket):
                return ""
            return self.run_tool([CHRONYC, "-n", "-h", chrony_socket, "ntpdata", "127.0.0.1"])[1]

        deadline = time.time() + 20
        data = ntpdata()
        while "Interleaved     : Yes" not in data and time.time() < deadline:
            time.sleep(0.25)
            data = ntpdata()
        self.assertIn("Interleaved     : Yes", data)
        self.assertIn("Mode            : Server", data)
        self.assertTrue(client.alive())
        stats = self.chronyc("serverstats")
        interleaved = int(re.search(r"Interleaved NTP packets\s+: (\d+)", stats).group(1))
        held = int(re.search(r"NTP timestamps held\s+: (\d+)", stats).group(1))
        self.assertGreater(interleaved, 0, stats)
        # The client's record holds the last pair; earlier ones are held for late replies.
        self.assertGreaterEqual(held, 2, stats)


if __name__ == "__main__":
    unittest.main()
