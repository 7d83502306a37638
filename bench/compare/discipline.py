#!/usr/bin/env python3
"""Side-by-side discipline benchmark: stratad -x and Debian's chronyd -x lock their served
time to a reference clock fed by strata-refclock-feed (SHM segment, known offset and jitter),
in the same run. The served time of each is measured against the truth (system clock + the
feed's offset) two ways:
  - interleaved probes (strata-ntp-test-server --probe, 8 per second, kernel timestamps on
    both sides, the server's precise transmit stamps): error per 30 s window; unbiased;
  - a basic-mode client at a few instants (the quarter of 64 exchanges with the shortest
    delay), as chronyd -Q or ntpdate would see it: this carries each server's basic transmit
    stamp error.
Writes the "discipline" section of bench/RESULTS.md.

Every daemon runs with -x and without CAP_SYS_TIME; the SHM segments, processes and files are
removed at the end, also on errors.

usage: bench/compare/discipline.py [--build DIR] [--offset S] [--jitter S] [--times T,T,...]
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
from ntp_client import served_offset  # noqa: E402
from processes import NO_SYS_TIME, free_port, stop_all  # noqa: E402
from results_file import replace_section  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--offset", type=float, default=0.005)
    ap.add_argument("--jitter", type=float, default=2e-6)
    ap.add_argument("--times", default="30,60,120", help="seconds after start to measure")
    ap.add_argument("--results", default=os.path.join(ROOT, "bench", "RESULTS.md"))
    args = ap.parse_args()
    times = [int(t) for t in args.times.split(",")]
    build = os.path.abspath(args.build)
    daemons = {
        "chronyd": [os.path.join(ROOT, ".deps", "chrony", "usr", "sbin", "chronyd"), "-x", "-u", "root", "-d", "-f"],
        "stratad": [os.path.join(build, "server", "stratad", "stratad"), "-x", "-d", "-f"],
    }
    feed = os.path.join(build, "tools", "refclock-feed", "strata-refclock-feed")
    prober = os.path.join(build, "tools", "ntp-test-server", "strata-ntp-test-server")
    window_s = 30
    tmp = tempfile.mkdtemp(prefix="strata-discipline-")
    os.chmod(tmp, 0o700)
    units = {"chronyd": 3100 + os.getpid() % 800, "stratad": 4100 + os.getpid() % 800}
    procs = []
    results = {name: [] for name in daemons}
    try:
        ports = {}
        for name, argv in daemons.items():
            ports[name] = free_port()
            conf = os.path.join(tmp, name + ".conf")
            with open(conf, "w") as f:
                f.write("refclock SHM %d poll 1 dpoll -2 refid FEED\nport %d\nbindaddress 127.0.0.1\n"
                        "allow 127.0.0.1\ncmdport 0\nbindcmdaddress %s/%s.sock\npidfile %s/%s.pid\n"
                        % (units[name], ports[name], tmp, name, tmp, name))
            procs.append(subprocess.Popen(NO_SYS_TIME + argv + [conf], stdout=subprocess.DEVNULL,
                                          stderr=open(os.path.join(tmp, name + ".log"), "w")))
        time.sleep(0.5)
        start = time.time()
        # The prober's model is the truth: system clock + offset, no drift.
        probe_out = open(os.path.join(tmp, "probe.out"), "w+")
        probe_argv = [prober, "--listen", "127.0.0.1:%d" % free_port(), "--offset", str(args.offset),
                      "--duration", str(max(times) + 1), "--probe-poll", "-3", "--probe-max-delay", "20e-6",
                      "--probe-report", str(window_s)]
        for port in ports.values():
            probe_argv += ["--probe", "127.0.0.1:%d" % port]
        procs.append(subprocess.Popen(probe_argv, stdout=probe_out, stderr=subprocess.STDOUT))
        for name in daemons:
            procs.append(subprocess.Popen(
                [feed, "shm", "--unit", str(units[name]), "--offset", str(args.offset), "--jitter",
                 str(args.jitter), "--rate", "4", "--duration", str(max(times) + 30), "--quiet"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        for t in times:
            time.sleep(max(0, start + t - time.time()))
            for name, port in ports.items():
                measured = served_offset(port)
                results[name].append(None if measured is None else (measured - args.offset) * 1e6)
                print("t=%3ds %s: %s" % (t, name, "no answer" if measured is None
                                         else "%+.2f us" % results[name][-1]), file=sys.stderr)
        procs[len(daemons)].wait(timeout=max(times) + 30)
        probe_out.seek(0)
        by_port = {"127.0.0.1:%d" % port: name for name, port in ports.items()}
        windows = {name: [] for name in daemons}
        for line in probe_out:
            if line.startswith("{") and "probe_window" in line:
                w = json.loads(line)
                windows[by_port[w["probe_window"]]].append(w)
    finally:
        stop_all(procs)
        for unit in units.values():
            subprocess.run(["ipcrm", "-M", str(0x4E545030 + unit)], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
        shutil.rmtree(tmp, ignore_errors=True)

    def fmt(v):
        return "no answer" if v is None else "%+.2f" % v

    def fmt_window(w):
        if not w or not w["count"]:
            return "no answer"
        e = w["error_us"]
        return "%+.2f / %+.2f / %.2f" % (e["mean"], e["median"], e["rms"])

    n_windows = max(len(w) for w in windows.values())
    lines = ["| interleaved probes: error mean / median / RMS (µs) | " +
             " | ".join("%d-%d s" % (i * window_s, (i + 1) * window_s) for i in range(n_windows)) + " |",
             "|---|" + "---|" * n_windows]
    for name in daemons:
        lines.append("| %s | %s |" % (name, " | ".join(fmt_window(w) for w in windows[name])))
    lines += ["", "| basic-mode client, shortest-delay quarter (µs) | " +
              " | ".join("%d s" % t for t in times) + " |", "|---|" + "---|" * len(times)]
    for name in daemons:
        lines.append("| %s | %s |" % (name, " | ".join(fmt(v) for v in results[name])))
    table = "\n".join(lines)
    print(table)
    command = "bench/compare/discipline.py --offset %g --jitter %g --times %s" % (args.offset, args.jitter, args.times)
    replace_section(args.results, "discipline", """## Discipline: locking to a reference clock (SHM)

Latest run: {date}, `{command}`. Each daemon (-x, without CAP_SYS_TIME) has its own
`refclock SHM N poll 1 dpoll -2` fed by strata-refclock-feed at 4 Hz with reference = system
clock + {offset:g} s and {jitter:g} s of Gaussian jitter, started together. Error = served
time - (system clock + offset). First table: strata-ntp-test-server probes each daemon 8
times a second in interleaved mode (kernel stamps on both sides, the daemon's precise transmit
stamps) and compares with its model (system clock + offset): the unbiased figure, per 30 s
window from the start. Second table: a basic-mode client (the quarter of 64 exchanges with
the shortest delay) at a few instants, which also carries each server's basic transmit-stamp
error: chronyd's stamp is early (here -2..-4 µs of apparent error), and a shortest-delay
client picks the exchanges where stratad's calibrated stamp was late (a `local` stratad with
no correction at all reads +2.0..+2.4 µs this way).

{table}
""".format(date=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), command=command,
           offset=args.offset, jitter=args.jitter, table=table))
    return 0


if __name__ == "__main__":
    sys.exit(main())
