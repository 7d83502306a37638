"""A firewall that drops some of stratad's replies must not cost other clients their
interleaved mode.

The kernel numbers the TX timestamp reports of a socket (SOF_TIMESTAMPING_OPT_ID), and a
worker matches each report to its reply by that number. A reply that a netfilter rule drops
on its way out fails with EPERM, yet the kernel has used up a number for it: measured on
6.18, the next report carried the number after. A worker that did not know would pair every
later report with the wrong reply, and its interleaved clients would get basic replies (or
another reply's transmit time) from then on.

Here, in a network namespace made for the test, one client's replies are dropped by an nft
rule after its first exchange; its next request asks for an interleaved reply, so that
reply carries a timestamp request. Another client then runs interleaved exchanges: each
must be answered interleaved, with the transmit time of its previous reply, which this test
brackets by its own clock readings around that exchange.

Needs root and nft (scripts/install-deps installs nftables); skips otherwise. stratad runs
with -x and without CAP_SYS_TIME; the namespace is removed even when the test fails.
"""

import ctypes
import json
import os
import secrets
import shutil
import socket
import subprocess
import time
import unittest

from harness import (NO_SYS_TIME, STRATACTL, STRATAD, StrataTestCase, client_request, ntp_time,
                     ntp_to_unix, parse_reply)

CLONE_NEWNET = 0x40000000
NTP_PORT = 123  # inside the namespace nothing else listens


class InNamespace:
    """While active, sockets this (single-threaded) process opens belong to namespace `ns`."""

    def __init__(self, ns):
        self.ns = ns
        self.libc = ctypes.CDLL(None, use_errno=True)

    def __enter__(self):
        self.home = os.open("/proc/self/ns/net", os.O_RDONLY)
        target = os.open("/run/netns/" + self.ns, os.O_RDONLY)
        try:
            if self.libc.setns(target, CLONE_NEWNET) != 0:
                raise OSError(ctypes.get_errno(), "setns " + self.ns)
        finally:
            os.close(target)
        return self

    def __exit__(self, *exc):
        try:
            if self.libc.setns(self.home, CLONE_NEWNET) != 0:
                raise OSError(ctypes.get_errno(), "setns back")
        finally:
            os.close(self.home)


class FirewallDrops(StrataTestCase):
    def setUp(self):
        if os.geteuid() != 0:
            self.skipTest("needs root (network namespace, nft)")
        for tool in ("ip", "nft", "setpriv"):
            if shutil.which(tool) is None:
                self.skipTest("'%s' not found" % tool)
        if not os.path.exists(STRATAD):
            self.skipTest("stratad not built")
        super().setUp()
        self.ns = "strata-fw-%d%s" % (os.getpid() % 100000, secrets.token_hex(2))
        rc, _, err = self.run_tool(["ip", "netns", "add", self.ns])
        if rc != 0:
            self.skipTest("'ip netns add' failed: " + err.strip())
        self.addCleanup(self.remove_namespace)
        self.run_tool(["ip", "-n", self.ns, "link", "set", "lo", "up"], check=True)
        self.nft("add table inet strata_test")
        self.nft("add chain inet strata_test out { type filter hook output priority 0 ; }")

    def remove_namespace(self):
        self._stop_all()  # stratad first: it lives in the namespace
        self.run_tool(["ip", "netns", "del", self.ns])

    def nft(self, command):
        self.run_tool(["ip", "netns", "exec", self.ns, "nft", command], check=True)

    def exchange(self, sock, origin=0, receive=0, timeout=1.0):
        """One request with these origin and receive fields; (reply fields or None, send and
        receive times by this process's clock in Unix seconds)."""
        sent = time.time()
        sock.sendto(client_request(origin=origin, receive=receive), ("127.0.0.1", NTP_PORT))
        sock.settimeout(timeout)
        try:
            data, _ = sock.recvfrom(512)
        except socket.timeout:
            return None, sent, None
        return parse_reply(data), sent, time.time()

    def test_a_dropped_reply_does_not_shift_the_other_clients_transmit_stamps(self):
        conf = self.write("stratad.conf", "\n".join([
            "port %d" % NTP_PORT, "bindaddress 127.0.0.1", "allow 127.0.0.0/8",
            "local stratum 1", "workers 1", "bindcmdaddress %s" % self.path("stratad.sock"),
            "cmdport 0", ""]))
        stratad = self.spawn("stratad", ["ip", "netns", "exec", self.ns] + NO_SYS_TIME +
                             [STRATAD, "-x", "-d", "-f", conf])
        with InNamespace(self.ns):
            victim = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            checker = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.addCleanup(victim.close)
        self.addCleanup(checker.close)
        victim.bind(("127.0.0.1", 0))
        checker.bind(("127.0.0.1", 0))

        deadline = time.time() + 10
        first = None
        while first is None:
            self.assertTrue(stratad.alive(), stratad.output())
            self.assertLess(time.time(), deadline, "stratad did not answer:\n" + stratad.output())
            first, _, _ = self.exchange(victim, timeout=0.2)

        # From now on the victim's replies are dropped on their way out (EPERM). Its next
        # request names its first exchange, so its reply asks for a TX timestamp.
        self.nft("add rule inet strata_test out udp dport %d drop" % victim.getsockname()[1])
        dropped, _, _ = self.exchange(victim, origin=first["receive"], receive=ntp_time(),
                                      timeout=0.3)
        self.assertIsNone(dropped, "the firewall rule did not drop the reply")

        # The checking client: a basic exchange, then requests naming the previous one. The
        # first of those is answered basic (a new interleaved client: its reply's TX stamp
        # is saved); each later one must be interleaved: its origin echoes the request's
        # receive field, and its transmit field is the previous reply's kernel TX stamp,
        # which lies between this process's clock readings around that exchange.
        previous, _, _ = self.exchange(checker)
        self.assertIsNotNone(previous, "no reply to the checking client")
        previous_window = None
        for _ in range(6):
            receive = ntp_time()
            reply, sent, received = self.exchange(checker, origin=previous["receive"],
                                                  receive=receive)
            self.assertIsNotNone(reply, "no reply to the checking client")
            if previous_window is not None:
                self.assertEqual(reply["origin"], receive,
                                 "a basic reply: the previous reply's TX stamp was not matched")
                tx = ntp_to_unix(reply["transmit"])
                self.assertGreaterEqual(tx, previous_window[0] - 1e-6)
                self.assertLessEqual(tx, previous_window[1] + 1e-6)
            previous, previous_window = reply, (sent, received)
        self.assertTrue(stratad.alive(), stratad.output())

        # The worker counted the restart of its numbering (once: the dropped reply), and the
        # stamps it was awaiting then as missing.
        # (In the namespace: stratactl's own socket is an abstract one, which is per namespace.)
        r = subprocess.run(["ip", "netns", "exec", self.ns, STRATACTL, "-h",
                            self.path("stratad.sock"), "--json", "workers"],
                           capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        worker = json.loads(r.stdout)["workers"][0]
        self.assertEqual(worker["tx_timestamp_renumberings"], 1)


if __name__ == "__main__":
    unittest.main()
