"""The Prometheus/OpenMetrics endpoint of the control work, scraped like Prometheus would:
control_test_server (fake backend with fixed figures) with --metrics-port, read with
urllib, parsed as the exposition format and checked against the backend's figures. Also the
endpoint's bounds: only GET /metrics, request size, connection limit, timeout.

Environment (set by CTest): STRATA_BUILD_DIR, STRATA_PEERS_DIR.
"""

import os
import re
import socket
import time
import unittest
import urllib.error
import urllib.request

from test_control import CHRONYC, SERVER, ControlServer, run

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)')


def parse_exposition(text, openmetrics=False):
    """{(name, frozenset(labels)): value} of an exposition; checks its structure on the way."""
    samples = {}
    types = {}
    lines = text.split("\n")
    assert lines[-1] == "", "text must end with a newline"
    lines = lines[:-1]
    if openmetrics:
        assert lines[-1] == "# EOF", "OpenMetrics text must end with # EOF"
        lines = lines[:-1]
    for line in lines:
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ", 3)
            assert kind in ("counter", "gauge"), line
            assert name not in types, "family declared twice: " + name
            types[name] = kind
            continue
        if line.startswith("# HELP "):
            continue
        m = SAMPLE.match(line)
        assert m, "bad sample line: " + line
        name, labels_text, value = m.group(1), m.group(3) or "", m.group(4)
        labels = {}
        pos = 0
        while pos < len(labels_text):
            lm = LABEL.match(labels_text, pos)
            assert lm, "bad labels: " + line
            labels[lm.group(1)] = lm.group(2)
            pos = lm.end()
        family = name
        if name.endswith("_total") and name not in types:
            family = name[:-len("_total")] if openmetrics else name
        assert family in types, "sample without TYPE: " + line
        if types[family] == "counter":
            assert name.endswith("_total"), "counter sample without _total: " + line
        key = (name, frozenset(labels.items()))
        assert key not in samples, "duplicate sample: " + line
        samples[key] = float(value)
    return samples


def value(samples, name, **labels):
    return samples[(name, frozenset(labels.items()))]


class MetricsEndpoint(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not os.access(SERVER, os.X_OK):
            raise unittest.SkipTest("control_test_server not built")

    def setUp(self):
        self.server = ControlServer("--metrics-port", "0")
        self.addCleanup(self.server.close)
        self.port = int(re.search(r"^metrics (\d+)$", self.server.output(), re.M).group(1))
        self.url = "http://127.0.0.1:%d/metrics" % self.port

    def scrape(self, accept=None):
        req = urllib.request.Request(self.url, headers={"Accept": accept} if accept else {})
        with urllib.request.urlopen(req, timeout=5) as r:
            return r.headers.get("Content-Type"), r.read().decode()

    def test_scrape_has_the_backends_figures(self):
        content_type, text = self.scrape()
        self.assertEqual(content_type, "text/plain; version=0.0.4; charset=utf-8")
        s = parse_exposition(text)
        # Serving totals and per worker.
        self.assertEqual(value(s, "strata_ntp_packets_received_total"), (1 << 32) + 1234567)
        self.assertEqual(value(s, "strata_ntp_packets_dropped_total"), 8910)
        self.assertEqual(value(s, "strata_ntp_tx_timestamps_total", source="hardware"), 60)
        self.assertEqual(value(s, "strata_worker_received_total", worker="0", cpu="2"), 1000000)
        self.assertEqual(value(s, "strata_worker_received_total", worker="1", cpu="3"), 1000001)
        self.assertEqual(value(s, "strata_worker_rate_limited_total", worker="1", cpu="3"), 1000)
        self.assertEqual(value(s, "strata_worker_rx_timestamps_total", worker="1", source="kernel"), 10000)
        # Client log use.
        self.assertEqual(value(s, "strata_client_log_records"), 13)
        self.assertEqual(value(s, "strata_client_log_capacity_records"), 4096)
        # Tracking.
        self.assertEqual(value(s, "strata_tracking_stratum"), 3)
        self.assertEqual(value(s, "strata_tracking_leap_status"), 0)
        self.assertEqual(value(s, "strata_tracking_system_time_offset_seconds"), 0.000986114)
        self.assertEqual(value(s, "strata_tracking_frequency_ppm"), -96.481)
        self.assertEqual(value(s, "strata_tracking_reference", reference_id="C0000201", reference="192.0.2.1"), 1)
        # Per source: offset, jitter, reachability.
        ntp1 = dict(source="ntp1.example.net", mode="server")
        self.assertEqual(value(s, "strata_source_offset_seconds", **ntp1), 1.07e-6)
        self.assertEqual(value(s, "strata_source_jitter_seconds", **ntp1), 81.2e-6)
        self.assertEqual(value(s, "strata_source_reachability", **ntp1), 255)
        self.assertEqual(value(s, "strata_source_reach_ratio", source="192.0.2.77", mode="server"), 5 / 8)
        self.assertEqual(value(s, "strata_source_offset_seconds", source="GPS", mode="refclock"), -0.0025)
        self.assertEqual(value(s, "strata_source_state", source="ntp1.example.net", mode="server",
                               state="selected", address="192.0.2.1"), 1)
        self.assertEqual(value(s, "strata_sources", state="online"), 3)

    def test_command_counters_follow_the_control_traffic(self):
        before = value(parse_exposition(self.scrape()[1]), "strata_command_packets_received_total")
        for _ in range(3):
            run([CHRONYC, "-h", self.server.socket, "tracking"])
        after = parse_exposition(self.scrape()[1])
        self.assertEqual(value(after, "strata_command_packets_received_total"), before + 3)
        self.assertEqual(value(after, "strata_command_packets_dropped_total", reason="malformed"), 0)

    def test_openmetrics_when_asked(self):
        content_type, text = self.scrape("application/openmetrics-text; version=1.0.0")
        self.assertEqual(content_type, "application/openmetrics-text; version=1.0.0; charset=utf-8")
        s = parse_exposition(text, openmetrics=True)
        self.assertIn("# TYPE strata_ntp_packets_received counter\n", text)
        self.assertEqual(value(s, "strata_ntp_packets_received_total"), (1 << 32) + 1234567)

    def http_status(self, method="GET", path="/metrics"):
        req = urllib.request.Request("http://127.0.0.1:%d%s" % (self.port, path), method=method)
        try:
            with urllib.request.urlopen(req, timeout=5) as r:
                return r.status
        except urllib.error.HTTPError as e:
            return e.code

    def test_only_get_metrics(self):
        self.assertEqual(self.http_status(path="/"), 404)
        self.assertEqual(self.http_status(path="/metrics/x"), 404)
        self.assertEqual(self.http_status(method="POST"), 405)
        self.assertEqual(self.http_status(method="DELETE"), 405)
        self.assertEqual(self.http_status(method="HEAD"), 200)
        self.assertEqual(self.http_status(), 200)

    def raw(self, data, timeout=10):
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as s:
            s.sendall(data)
            chunks = []
            while True:
                try:
                    chunk = s.recv(65536)
                except ConnectionResetError:
                    break
                if not chunk:
                    break
                chunks.append(chunk)
            return b"".join(chunks)

    def test_bad_and_oversized_requests(self):
        self.assertTrue(self.raw(b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03\r\n\r\n").startswith(b"HTTP/1.1 400 "))
        big = b"GET /metrics HTTP/1.1\r\nX-Pad: " + b"a" * 20000 + b"\r\n\r\n"
        self.assertTrue(self.raw(big).startswith(b"HTTP/1.1 431 "))
        self.assertEqual(self.http_status(), 200)

    def test_connection_limit_and_timeout(self):
        idle = [socket.create_connection(("127.0.0.1", self.port), timeout=10) for _ in range(4)]
        try:
            time.sleep(0.2)
            # A fifth connection is turned away at once while four are open.
            self.assertTrue(self.raw(b"GET /metrics HTTP/1.1\r\n\r\n").startswith(b"HTTP/1.1 503 "))
            # Silent connections are closed after the request timeout (5 s).
            start = time.monotonic()
            idle[0].settimeout(10)
            self.assertEqual(idle[0].recv(100), b"")
            waited = time.monotonic() - start
            self.assertLess(waited, 8)
        finally:
            for s in idle:
                s.close()
        time.sleep(0.2)
        self.assertEqual(self.http_status(), 200)


if __name__ == "__main__":
    unittest.main()
