"""hwts end to end on this machine: a veth pair between two network namespaces made here.

Checks, against the real kernel, what the unit tests check with fakes:
  - discovery (ethtool netlink, and the ioctl fallback agreeing with it) reports a veth as
    software-only: no hardware flags, no PHC, 10000 Mb/s full duplex;
  - `stratactl hwinfo` (through the hwts test driver) prints that, as text and as JSON;
  - SIOCSHWTSTAMP's refusal (EOPNOTSUPP) for a named interface is reported by name and
    reason, and `*` skips every interface with one line each.

Needs root (network namespaces, CAP_NET_ADMIN inside them); skips with a message otherwise.
The namespaces (and with them the veth pair) are removed even when a test fails. The
driver runs without CAP_SYS_TIME (setpriv), though it never touches the clock.
"""

import json
import os
import secrets
import shutil
import subprocess
import unittest

BUILD_DIR = os.environ.get("STRATA_BUILD_DIR", os.path.join(os.path.dirname(__file__), "..", "..", "build"))
DRIVER = os.path.join(BUILD_DIR, "tests", "unit", "hwts", "hwts_test_driver")


def run(cmd, check=True):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=30, check=check)


class HwtsVethTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if os.geteuid() != 0:
            raise unittest.SkipTest("needs root to create network namespaces and a veth pair")
        if shutil.which("ip") is None:
            raise unittest.SkipTest("iproute2 'ip' not found")
        if shutil.which("setpriv") is None:
            raise unittest.SkipTest("util-linux 'setpriv' not found")
        if not os.access(DRIVER, os.X_OK):
            raise AssertionError(f"test driver not built: {DRIVER}")
        tag = f"{os.getpid() % 100000}{secrets.token_hex(2)}"
        cls.ns_a, cls.ns_b = f"strata-hw-{tag}-a", f"strata-hw-{tag}-b"
        cls.if_a, cls.if_b = f"shw{tag}a", f"shw{tag}b"  # <= 15 characters
        cls.created = []
        try:
            for ns in (cls.ns_a, cls.ns_b):
                r = run(["ip", "netns", "add", ns], check=False)
                if r.returncode != 0:
                    raise unittest.SkipTest(f"'ip netns add' failed: {r.stderr.strip()}")
                cls.created.append(ns)
            run(["ip", "link", "add", cls.if_a, "netns", cls.ns_a, "type", "veth",
                 "peer", "name", cls.if_b, "netns", cls.ns_b])
            run(["ip", "-n", cls.ns_a, "link", "set", cls.if_a, "up"])
            run(["ip", "-n", cls.ns_b, "link", "set", cls.if_b, "up"])
            run(["ip", "-n", cls.ns_a, "addr", "add", "192.0.2.1/24", "dev", cls.if_a])
            run(["ip", "-n", cls.ns_b, "addr", "add", "192.0.2.2/24", "dev", cls.if_b])
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        for ns in getattr(cls, "created", []):
            subprocess.run(["ip", "netns", "del", ns], capture_output=True, timeout=30)
        cls.created = []

    def driver(self, *args, ns=None):
        return run(["ip", "netns", "exec", ns or self.ns_a, "setpriv", "--bounding-set",
                    "-sys_time", "--", DRIVER, *args], check=False)

    def test_hwinfo_text_reports_software_only_veth(self):
        r = self.driver("hwinfo", self.if_a)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "")
        out = r.stdout
        self.assertTrue(out.startswith(f"{self.if_a} (ifindex "), out)
        self.assertIn("  Hardware timestamping : no (software timestamps only)\n", out)
        self.assertIn("  PHC                   : none\n", out)
        self.assertIn("software-transmit software-receive", out)
        self.assertNotIn("hardware-", out)
        self.assertIn("  TX types              : none\n", out)
        self.assertIn("  RX filters            : none\n", out)
        self.assertIn("  Link                  : 10000 Mb/s, full duplex\n", out)
        self.assertIn("  Source                : ethtool netlink\n", out)

    def test_hwinfo_all_interfaces_of_the_namespace(self):
        r = self.driver("hwinfo")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout.startswith("lo (ifindex 1)\n"), r.stdout)
        self.assertIn(f"\n{self.if_a} (ifindex ", r.stdout)
        self.assertTrue(r.stdout.endswith("\n2 interfaces, 0 with hardware timestamping\n"),
                        r.stdout)
        for line in r.stdout.splitlines():
            self.assertLessEqual(len(line), 79, line)

    def test_hwinfo_json(self):
        r = self.driver("hwinfo", "--json", self.if_a, "lo")
        self.assertEqual(r.returncode, 0, r.stderr)
        doc = json.loads(r.stdout)
        veth, lo = doc["interfaces"]
        self.assertEqual(veth["name"], self.if_a)
        self.assertEqual(veth["hardware_timestamping"], "none")
        self.assertIsNone(veth["phc_index"])
        self.assertIsNone(veth["phc"])
        self.assertEqual(veth["capabilities"],
                         ["software-transmit", "software-receive", "software-system-clock"])
        self.assertEqual(veth["tx_types"], [])
        self.assertEqual(veth["rx_filters"], [])
        self.assertEqual(veth["link"], {"speed_mbps": 10000, "duplex": "full", "error": None})
        self.assertEqual(lo["name"], "lo")
        self.assertIsNone(lo["link"]["speed_mbps"])
        self.assertIsNotNone(lo["link"]["error"])

    def test_hwinfo_unknown_interface(self):
        r = self.driver("hwinfo", "strata-nope0")
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stderr, "hwinfo: no such interface 'strata-nope0'\n")

    def test_ioctl_fallback_agrees_with_netlink(self):
        r = self.driver("compare", self.if_a)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("speed=10000 duplex=2", r.stdout)  # Duplex::kFull
        self.assertTrue(r.stdout.endswith("agree\n"))

    def test_named_interface_refusal_is_reported_by_name(self):
        r = self.driver("enable", self.if_a)
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertEqual(
            r.stderr,
            f"{self.if_a}: cannot enable hardware timestamping: SIOCSHWTSTAMP: Operation not "
            "supported (the driver has no hardware timestamping); ethtool reports: "
            "software-transmit software-receive software-system-clock; no PHC\n")
        r = self.driver("enable", self.if_b, "rxfilter", "ntp", ns=self.ns_b)
        self.assertEqual(r.returncode, 1)
        self.assertTrue(r.stderr.startswith(
            f"{self.if_b}: cannot enable hardware timestamping with rxfilter ntp: SIOCSHWTSTAMP: "
            "Operation not supported"), r.stderr)

    def test_wildcard_skips_every_interface_with_one_line_each(self):
        r = self.driver("enable", "*")
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(len(lines), 2, r.stdout)
        self.assertEqual(lines[0], "lo: hardware timestamping skipped: no hardware timestamping "
                                   "(ethtool reports: software-transmit software-receive "
                                   "software-system-clock; no PHC)")
        self.assertTrue(lines[1].startswith(f"{self.if_a}: hardware timestamping skipped: "),
                        lines[1])


if __name__ == "__main__":
    unittest.main()
