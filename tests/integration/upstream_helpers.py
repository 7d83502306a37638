"""Helpers of the upstream-source tests: strata-ntp-test-server processes, stratad/chronyd
clients of them, and parsing of `sources` output. Python standard library only."""

import json
import os
import re
import time

from harness import BUILD_DIR, CHRONYC, STRATACTL, free_udp_port

TEST_SERVER = os.path.join(BUILD_DIR, "tools", "ntp-test-server", "strata-ntp-test-server")


def start_test_server(case, name, port, *args, address="127.0.0.1", duration=600):
    """Starts strata-ntp-test-server on address:port; returns (process, model dict)."""
    if not os.path.exists(TEST_SERVER):
        case.skipTest("strata-ntp-test-server not built")
    p = case.spawn(name, [TEST_SERVER, "--listen", "%s:%d" % (address, port),
                          "--duration", str(duration)] + [str(a) for a in args])
    deadline = time.time() + 5
    while time.time() < deadline:
        with open(p.out_path) as f:
            first = f.readline()
        if first.endswith("\n"):
            return p, json.loads(first)
        if not p.alive():
            case.fail("test server %s exited:\n%s" % (name, p.output()))
        time.sleep(0.02)
    case.fail("test server %s printed no model line" % name)


def json_lines(process):
    """Every JSON object line the process printed so far."""
    out = []
    for line in process.output().splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                out.append(json.loads(line))
            except ValueError:
                pass
    return out


def stratad_config(ntp_port, socket_path, sources, extra=()):
    return "\n".join(["port %d" % ntp_port, "bindaddress 127.0.0.1", "allow 127.0.0.0/8",
                      "bindcmdaddress %s" % socket_path, "cmdport 0"] + list(sources) +
                     list(extra) + [""])


def wait_socket(case, path, timeout=5):
    deadline = time.time() + timeout
    while not os.path.exists(path) and time.time() < deadline:
        time.sleep(0.05)
    if not os.path.exists(path):
        case.fail("no control socket at %s" % path)


def stratactl(case, socket_path, *args):
    rc, out, err = case.run_tool([STRATACTL, "-n", "-h", socket_path] + list(args))
    case.assertEqual(rc, 0, out + err)
    return out


def chronyc(case, socket_path, *args):
    if not os.path.exists(CHRONYC):
        return None
    rc, out, err = case.run_tool([CHRONYC, "-n", "-h", socket_path] + list(args))
    case.assertEqual(rc, 0, out + err)
    return out


SOURCE_ROW = re.compile(r"^(?P<mode>[\^=#])(?P<state>[*+\-?x~ ]) (?P<name>\S+)\s+(?P<stratum>\d+)\s+"
                        r"(?P<poll>-?\d+)\s+(?P<reach>[0-7]+)")


def source_rows(text):
    """{name: (mode, state, stratum, poll, reach)} of a `sources` listing."""
    rows = {}
    for line in text.splitlines():
        m = SOURCE_ROW.match(line)
        if m:
            rows[m.group("name")] = (m.group("mode"), m.group("state"), int(m.group("stratum")),
                                     int(m.group("poll")), int(m.group("reach"), 8))
    return rows


def wait_for(case, predicate, timeout, what):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        ok, last = predicate()
        if ok:
            return last
        time.sleep(0.25)
    case.fail("timed out waiting for %s; last state:\n%s" % (what, last))


def ntpdata_fields(text):
    fields = {}
    for line in text.splitlines():
        if ":" in line:
            k, v = line.split(":", 1)
            fields[k.strip()] = v.strip()
    return fields


__all__ = ["TEST_SERVER", "start_test_server", "json_lines", "stratad_config", "wait_socket",
           "stratactl", "chronyc", "source_rows", "wait_for", "ntpdata_fields", "free_udp_port"]
