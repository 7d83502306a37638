"""stratad with `hwtimestamp`: on this machine no interface can timestamp in hardware, so a
named interface stops start-up with an error naming it and the reason, and `*` skips every
interface with one log line each and serves with kernel timestamps."""

import subprocess
import unittest

from harness import NO_SYS_TIME, STRATAD, StrataTestCase, client_request, free_udp_port, send_and_receive


class HwTimestampDaemonTest(StrataTestCase):

    def test_named_interface_without_hardware_stops_startup(self):
        conf = self.write("hw.conf", "port %d\nbindaddress 127.0.0.1\nallow\nhwtimestamp lo\n" % free_udp_port())
        p = self.spawn("stratad", NO_SYS_TIME + [STRATAD, "-x", "-d", "-f", conf])
        try:
            rc = p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.fail("stratad started although lo cannot timestamp in hardware")
        self.assertEqual(rc, 1)
        out = p.output()
        self.assertIn("hwtimestamp lo", out)
        self.assertIn("Operation not supported", out)

    def test_wildcard_skips_incapable_interfaces_and_serves(self):
        port = free_udp_port()
        p = self.start_stratad("port %d\nbindaddress 127.0.0.1\nallow\nlocal stratum 5\nhwtimestamp *\n" % port,
                               wait_port=port)
        self.assertIn("lo: hardware timestamping skipped", p.output())
        self.assertIsNotNone(send_and_receive(("127.0.0.1", port), client_request()))


if __name__ == "__main__":
    unittest.main()
