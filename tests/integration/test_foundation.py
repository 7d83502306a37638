"""stratad serves NTP from the system clock: real processes on loopback, checked with
stratactl query, Debian's chronyd -Q, ntpdig (in a network namespace, on port 123) and a raw
client sending hostile datagrams."""

import json
import os
import re
import signal
import socket
import struct
import subprocess
import time
import unittest

from harness import (CAP_SYS_TIME, NO_SYS_TIME, STRATACTL, STRATAD, StrataTestCase, client_request,
                     free_udp_port, ntp_time, ntp_to_unix, parse_reply, send_and_receive)


def serving_config(port, extra=""):
    return "\n".join([
        "port %d" % port,
        "bindaddress 127.0.0.1",
        "allow 127.0.0.0/8",
        "deny 127.0.0.99",
        "local stratum 10",
        extra,
        "",
    ])


class ServingTest(StrataTestCase):

    def setUp(self):
        super().setUp()
        self.port = free_udp_port()
        self.pidfile = self.path("stratad.pid")
        self.daemon = self.start_stratad(serving_config(self.port, "pidfile %s" % self.pidfile),
                                         wait_port=self.port)

    def test_runs_without_cap_sys_time_and_writes_pidfile(self):
        caps = self.daemon.capabilities_bounding_set()
        self.assertIsNotNone(caps)
        self.assertFalse(caps & (1 << CAP_SYS_TIME), "stratad must not hold CAP_SYS_TIME in tests")
        with open(self.pidfile) as f:
            self.assertEqual(int(f.read().strip()), self.daemon.pid)
        self.assertEqual(self.daemon.stop(signal.SIGTERM), 0)
        self.assertFalse(os.path.exists(self.pidfile), "pid file must be removed on exit")

    def test_reply_fields(self):
        t1 = ntp_time()
        data = send_and_receive(("127.0.0.1", self.port), client_request(transmit=t1))
        t4 = time.time()
        self.assertIsNotNone(data)
        r = parse_reply(data)
        self.assertEqual(r["length"], 48)
        self.assertEqual(r["mode"], 4)
        self.assertEqual(r["version"], 4)
        self.assertEqual(r["stratum"], 10)
        self.assertEqual(r["leap"], 0)
        self.assertEqual(r["origin"], t1)
        self.assertEqual(r["refid"], bytes([127, 127, 1, 1]))
        self.assertEqual(r["receive"] & 1, 1, "receive timestamps have their lowest bit set")
        self.assertEqual(r["transmit"] & 1, 0, "transmit timestamps have their lowest bit clear")
        rx, tx = ntp_to_unix(r["receive"]), ntp_to_unix(r["transmit"])
        self.assertLessEqual(ntp_to_unix(t1) - 1e-3, rx)
        self.assertLessEqual(rx, tx)
        self.assertLessEqual(tx, t4 + 1e-3)
        self.assertLess(r["precision"], -10)

    def test_echoes_request_versions(self):
        for version in (1, 2, 3, 4):
            mode = 0 if version == 1 else 3
            data = send_and_receive(("127.0.0.1", self.port), client_request(version=version, mode=mode))
            self.assertIsNotNone(data, "no reply to NTPv%d" % version)
            self.assertEqual(parse_reply(data)["version"], version)

    def test_stratactl_query(self):
        rc, out, err = self.run_tool([STRATACTL, "query", "127.0.0.1:%d" % self.port])
        self.assertEqual(rc, 0, out + err)
        self.assertIn("Stratum         : 10", out)
        self.assertIn("Leap status     : Normal", out)
        self.assertIn("Timestamps      : kernel", out)
        offset = float(re.search(r"Offset\s+: ([-+0-9.]+) seconds", out).group(1))
        self.assertLess(abs(offset), 100e-6, out)
        rc, out, err = self.run_tool([STRATACTL, "query", "--json", "--count", "3", "--interval", "0.1",
                                      "127.0.0.1:%d" % self.port])
        self.assertEqual(rc, 0, err)
        lines = [json.loads(line) for line in out.splitlines()]
        self.assertEqual(len(lines), 3)
        for line in lines:
            self.assertTrue(line["valid"])
            self.assertLess(abs(line["offset_s"]), 100e-6)
            self.assertLess(line["delay_s"], 10e-3)

    def test_chronyd_accepts_the_time(self):
        offset = self.chronyd_measure_offset("127.0.0.1", self.port)
        self.assertLess(abs(offset), 100e-6, "chronyd -Q measured %.9f s" % offset)

    def test_hostile_datagrams_get_no_reply_and_are_counted(self):
        good = client_request()
        bad = [
            b"",
            good[:47],                                   # truncated
            bytes([0x2B]) + good[1:],                    # version 5
            bytes([0x03]) + good[1:],                    # version 0
            bytes([0x16, 0x02, 0x00, 0x01]) + bytes(8),  # mode 6 (ntpq readstat)
            bytes([0x17, 0x00, 0x03, 0x2A]) + bytes(44), # mode 7 (ntpdc monlist)
            bytes([0x24]) + good[1:],                    # mode 4: a reply, not a request
            bytes([0x21]) + good[1:],                    # mode 1: symmetric active, unknown peer
            good + bytes(7),                             # stray bytes after the header
            good + struct.pack("!HH", 0x0104, 10) + bytes(6),  # extension field of length 10
            bytes(range(256)) * 5,                       # oversized garbage
            bytes([0xE5]) + bytes(range(47)),            # mode 5 (broadcast), leap 3
        ]
        for payload in bad:
            self.assertIsNone(send_and_receive(("127.0.0.1", self.port), payload, timeout=0.3),
                              "reply to hostile datagram %r" % payload[:8])
        # Still alive and serving.
        self.assertIsNotNone(send_and_receive(("127.0.0.1", self.port), good))
        self.assertTrue(self.daemon.alive())
        self.assertEqual(self.daemon.stop(), 0)
        m = re.search(r"stopped: (\d+) requests, (\d+) replies, (\d+) dropped", self.daemon.output())
        self.assertIsNotNone(m, self.daemon.output())
        requests, replies, dropped = map(int, m.groups())
        # The wait-for-ready probe(s) and the final good request were answered; every hostile
        # datagram was dropped.
        self.assertEqual(requests, replies + dropped)
        self.assertEqual(dropped, len(bad))

    def test_client_outside_allow_gets_nothing(self):
        self.assertIsNone(send_and_receive(("127.0.0.1", self.port), client_request(), source="127.0.0.99",
                                           timeout=0.5))
        self.assertIsNotNone(send_and_receive(("127.0.0.1", self.port), client_request(), source="127.0.0.98"))

    def test_replies_are_never_larger_than_requests(self):
        # An authenticated request (key id + MD5) gets a crypto-NAK reply: 52 bytes <= 68.
        request = client_request() + struct.pack("!I", 1) + bytes(16)
        data = send_and_receive(("127.0.0.1", self.port), request)
        self.assertIsNotNone(data)
        self.assertLessEqual(len(data), len(request))


class StartupTest(StrataTestCase):

    def start_and_wait_exit(self, config, args=()):
        conf = self.write("bad.conf", config)
        p = self.spawn("stratad", NO_SYS_TIME + [STRATAD, "-x", "-d", "-f", conf] + list(args))
        try:
            rc = p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.fail("stratad kept running:\n" + p.output())
        return rc, p.output()

    def test_port_in_use(self):
        port = free_udp_port()
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as holder:
            holder.bind(("127.0.0.1", port))
            rc, out = self.start_and_wait_exit(serving_config(port))
        self.assertEqual(rc, 1)
        self.assertIn("127.0.0.1:%d" % port, out)
        self.assertIn("address already in use", out)

    def test_address_not_on_this_host(self):
        rc, out = self.start_and_wait_exit("port 12345\nbindaddress 192.0.2.77\nallow\n")
        self.assertEqual(rc, 1)
        self.assertIn("192.0.2.77:12345", out)
        self.assertIn("not available", out)

    def test_privileged_port_without_permission(self):
        if os.geteuid() != 0:
            self.skipTest("needs root to start as another user")
        conf = self.write("priv.conf", "port 123\nbindaddress 127.0.0.1\nallow\n")
        os.chmod(self.tmp, 0o755)  # readable by the unprivileged user
        os.chmod(conf, 0o644)
        rc, out, err = self.run_tool(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                                      "--inh-caps=-all", "--bounding-set=-all", "--", STRATAD, "-x", "-d",
                                      "-f", conf], timeout=10)
        self.assertEqual(rc, 1, out + err)
        self.assertIn("permission denied", out + err)

    def test_config_error_names_file_and_line(self):
        rc, out = self.start_and_wait_exit("port 12345\nmakestep 1.0\n")
        self.assertEqual(rc, 1)
        self.assertRegex(out, r"bad\.conf:2: makestep")

    def test_print_config_and_version(self):
        conf = self.write("p.conf", serving_config(4321))
        rc, out, err = self.run_tool(NO_SYS_TIME + [STRATAD, "-p", "-f", conf])
        self.assertEqual(rc, 0, err)
        self.assertRegex(out, r"(?m)^port 4321$")
        self.assertRegex(out, r"(?m)^local stratum 10")
        rc, out, err = self.run_tool([STRATAD, "--version"])
        self.assertEqual(rc, 0)
        self.assertRegex(out, r"stratad \(Strata\) \d+\.\d+")
        rc, out, err = self.run_tool([STRATAD, "--help"])
        self.assertEqual(rc, 0)
        self.assertIn("-x", out)

    def test_embedded_default_configuration(self):
        rc, out, err = self.run_tool(NO_SYS_TIME + [STRATAD, "--embedded-config", "-p"])
        self.assertEqual(rc, 0, err)
        self.assertRegex(out, r"(?m)^port 11123$")
        self.assertRegex(out, r"(?m)^bindaddress 127\.0\.0\.1$")

    def test_sigint_stops_cleanly(self):
        port = free_udp_port()
        p = self.start_stratad(serving_config(port), wait_port=port)
        self.assertEqual(p.stop(signal.SIGINT), 0)
        self.assertIn("shutting down", p.output())


class Ipv6Test(StrataTestCase):

    def test_serves_ipv6_loopback(self):
        try:
            with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
                s.bind(("::1", 0))
        except OSError:
            self.skipTest("no IPv6 loopback")
        port = free_udp_port("::1")
        p = self.start_stratad("port %d\nbindaddress ::1\nallow ::1\nlocal stratum 3\n" % port)
        self.wait_for_ntp(p, ("::1", port))
        r = parse_reply(send_and_receive(("::1", port), client_request()))
        self.assertEqual(r["stratum"], 3)
        rc, out, err = self.run_tool([STRATACTL, "query", "[::1]:%d" % port])
        self.assertEqual(rc, 0, out + err)


class NtpdigTest(StrataTestCase):
    """ntpdig always asks port 123: run stratad and ntpdig inside a network namespace of our
    own, where port 123 on its loopback is free."""

    def setUp(self):
        super().setUp()
        if os.geteuid() != 0:
            self.skipTest("needs root for a network namespace")
        if not os.path.exists("/usr/bin/ntpdig"):
            self.skipTest("ntpdig not installed")
        self.ns = "strata-it-%d" % os.getpid()
        if subprocess.run(["ip", "netns", "add", self.ns]).returncode != 0:
            self.skipTest("cannot create a network namespace")
        self.addCleanup(subprocess.run, ["ip", "netns", "delete", self.ns])
        subprocess.run(["ip", "-n", self.ns, "link", "set", "lo", "up"], check=True)

    def test_ntpdig_gets_the_time(self):
        conf = self.write("ns.conf", "port 123\nbindaddress 127.0.0.1\nallow 127.0.0.1\nlocal stratum 4\n")
        p = self.spawn("stratad", ["ip", "netns", "exec", self.ns] + NO_SYS_TIME +
                       [STRATAD, "-x", "-d", "-f", conf])
        deadline = time.time() + 10
        out = ""
        while time.time() < deadline:
            r = subprocess.run(["ip", "netns", "exec", self.ns, "ntpdig", "-j", "-t", "1", "127.0.0.1"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=20)
            out = r.stdout.decode() + r.stderr.decode()
            if r.returncode == 0 and out.strip().startswith("{"):
                break
            time.sleep(0.2)
        result = json.loads(out.strip().splitlines()[0])
        self.assertEqual(result["stratum"], 4)
        # ntpdig is Python with user-space timestamps: under load its offset error reaches
        # milliseconds, so only gross errors are checked here.
        self.assertLess(abs(float(result["offset"])), 50e-3)
        self.assertTrue(p.alive())


if __name__ == "__main__":
    unittest.main()
