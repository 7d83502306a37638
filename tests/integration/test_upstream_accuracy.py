"""The live acceptance of issue 8, on this machine and without touching its clock: stratad -x
synchronised to an upstream (strata-ntp-test-server) that serves +37 ms, +50 ppm with 10 us
of jitter per reply, at minpoll -2 maxpoll -2, must serve time that follows the upstream's
truth. Debian's chronyd -x is the comparison in the same run, in basic mode (as the issue's
earlier figure) and with xleave.

Method: the upstream itself probes each client (it serves NTP too) every 1/8 s with
interleaved requests and kernel timestamps on both sides, and compares the client's served
time with its own model at the same instants (strata-ntp-test-server --probe). A twin test
server with the same model and no jitter is probed the same way: its figure is the bias of
the measurement itself (loopback asymmetry), reported as `calibration`. The probe warms its
send path before each request (a cold one adds ~0.7 us to whichever target is probed first)
and drops measurements whose round trip exceeds PROBE_MAX_DELAY_S (a preempted vCPU: their
error bound is the measurement's, not the client's), counting them as `delay_rejected`.

Bound (stated here, checked below), over the measurement window after SETTLE_S:
  stratad: |mean error| <= 5 us, RMS <= 8 us, 5th..95th percentiles within +-12 us.

STRATA_UPSTREAM_MEASURE_S (default 60) lengthens the measurement for figures.
"""

import json
import os
import shutil
import time
import unittest

from harness import CHRONYD, STRATAD, StrataTestCase, free_udp_port
from upstream_helpers import TEST_SERVER, json_lines, start_test_server, stratad_config

SETTLE_S = 30
MEASURE_S = int(os.environ.get("STRATA_UPSTREAM_MEASURE_S", "60"))
PROBE_MAX_DELAY_S = 20e-6  # loopback round trips are 2-5 us; p99 ~11 us here


@unittest.skipUnless(os.path.exists(STRATAD) and os.path.exists(TEST_SERVER), "not built")
@unittest.skipUnless(shutil.which("setpriv"), "setpriv (util-linux) missing")
class UpstreamAccuracy(StrataTestCase):
    def chronyd_client(self, name, upstream_port, options):
        port = free_udp_port()
        rundir = self.path(name + "-run")
        os.makedirs(rundir, mode=0o700)
        conf = self.write(name + ".conf", "\n".join([
            "port %d" % port, "bindaddress 127.0.0.1", "allow 127.0.0.0/8",
            "server 127.0.0.1 port %d %s" % (upstream_port, options),
            "cmdport 0", "bindcmdaddress %s/chronyd.sock" % rundir,
            "pidfile %s/chronyd.pid" % rundir, ""]))
        return port, conf

    def test_served_time_follows_the_upstream(self):
        have_chronyd = os.path.exists(CHRONYD)
        upstream_port = free_udp_port()
        twin_port = free_udp_port()
        stratad_port = free_udp_port()
        targets = {"stratad": stratad_port, "calibration": twin_port}
        chrony_confs = {}
        if have_chronyd:
            for name, opts in (("chronyd", "minpoll -2 maxpoll -2 iburst"),
                               ("chronyd_xleave", "minpoll -2 maxpoll -2 iburst xleave")):
                port, conf = self.chronyd_client(name, upstream_port, opts)
                targets[name] = port
                chrony_confs[name] = conf
        duration = SETTLE_S + MEASURE_S
        probe_args = []
        for port in targets.values():
            probe_args += ["--probe", "127.0.0.1:%d" % port]
        upstream, model = start_test_server(
            self, "upstream", upstream_port, "--offset", "0.037", "--drift", "50", "--jitter",
            "10e-6", "--probe-settle", SETTLE_S, "--probe-poll", -3,
            "--probe-max-delay", PROBE_MAX_DELAY_S, *probe_args,
            duration=duration)
        start_test_server(self, "twin", twin_port, "--offset", "0.037", "--drift", "50",
                          "--t0-ns", model["t0_ns"], duration=duration + 5)
        self.start_stratad(stratad_config(
            stratad_port, self.path("stratad.sock"),
            ["server 127.0.0.1 port %d minpoll -2 maxpoll -2 iburst xleave" % upstream_port]))
        for name, conf in chrony_confs.items():
            self.spawn(name, self.chronyd_argv("-d", "-f", conf))

        upstream.wait(timeout=duration + 30)
        results = {}
        by_port = {"127.0.0.1:%d" % p: n for n, p in targets.items()}
        for line in json_lines(upstream):
            if "probe" in line:
                results[by_port[line["probe"]]] = line
        report = {"settle_s": SETTLE_S, "measure_s": MEASURE_S, "upstream": model,
                  "served_error_us": {n: r["error_us"] for n, r in results.items()},
                  "probes": {n: {k: r[k] for k in ("count", "interleaved", "unusable", "delay_rejected")}
                             for n, r in results.items()}}
        print("\nUPSTREAM-ACCURACY " + json.dumps(report, sort_keys=True))

        self.assertIn("stratad", results)
        s = results["stratad"]
        self.assertGreater(s["count"], MEASURE_S * 4, s)  # 8 probes/s, most of them measured
        e = s["error_us"]
        self.assertLessEqual(abs(e["mean"]), 5.0, e)
        self.assertLessEqual(e["rms"], 8.0, e)
        self.assertGreaterEqual(e["p05"], -12.0, e)
        self.assertLessEqual(e["p95"], 12.0, e)
        cal = results["calibration"]["error_us"]
        self.assertLess(abs(cal["median"]), 3.0, cal)  # the method itself is sound


if __name__ == "__main__":
    unittest.main()
