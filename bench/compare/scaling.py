#!/usr/bin/env python3
"""Worker scaling: stratad with one serving worker against stratad with one worker per CPU,
on loopback, under the same load from strataperf, in one run. Writes the "scaling" section
of bench/RESULTS.md and the strataperf JSON of the two ladders.

A machine only shows replies/s growing with workers when the load generator has CPUs of its
own. Where it does not (the 2-CPU machines this project is built on), this measures what
decides scaling instead:
  1. CPU per reply of the serving threads: one worker at R req/s against N workers at N x R
     (so each worker serves about R). Equal figures mean that a worker pays nothing for the
     others (no shared cache lines, locks or queues), so capacity grows with the cores given
     to workers, up to what the kernel's UDP path allows.
  2. How evenly the reuseport steering spreads 1000 clients over the workers.
  3. The highest offered rate with < 1 % loss of each configuration. With N workers on N
     CPUs, strataperf shares the CPUs with them: that figure is the machine's, not stratad's.

Both daemons run without clock control (-x) and without CAP_SYS_TIME, on 127.0.0.1 only,
and are stopped at the end, also on errors.

usage: bench/compare/scaling.py [--build DIR] [--rate R] [--rounds K] [--results FILE]
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from compare import ROOT, max_rate, sender_bound, wait_ntp
from processes import NO_SYS_TIME, free_port, stop_all
from results_file import replace_section

ROUND_SECONDS = 1.5
LADDER_STEP_SECONDS = 1.5


def worker_cpu_seconds(pid):
    """Run time (scheduler, ns -> s) of the process's serving threads (named strata-wN)."""
    total_ns = 0
    for tid in os.listdir("/proc/%d/task" % pid):
        base = "/proc/%d/task/%s/" % (pid, tid)
        try:
            with open(base + "comm") as f:
                if not f.read().startswith("strata-w"):
                    continue
            with open(base + "schedstat") as f:
                total_ns += int(f.read().split()[0])
        except OSError:
            continue  # the thread ended
    return total_ns / 1e9


class Daemons:
    def __init__(self, build):
        self.build = os.path.abspath(build)
        self.tmp = tempfile.mkdtemp(prefix="strata-scaling-")
        self.procs = []
        self.stratad = os.path.join(self.build, "server", "stratad", "stratad")
        self.stratactl = os.path.join(self.build, "tools", "stratactl", "stratactl")
        self.strataperf = os.path.join(self.build, "tools", "strataperf", "strataperf")

    def close(self):
        stop_all(self.procs)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def start(self, name, workers, cpus):
        """A stratad with `workers` workers pinned to `cpus` (a workercpus list)."""
        port = free_port()
        sock = os.path.join(self.tmp, name + ".sock")
        conf = os.path.join(self.tmp, name + ".conf")
        with open(conf, "w") as f:
            f.write("port %d\nbindaddress 127.0.0.1\nallow 127.0.0.0/8\nlocal stratum 1\n"
                    "workers %d\nworkercpus %s\nclientloglimit 100000000\ncmdport 0\n"
                    "bindcmdaddress %s\n" % (port, workers, cpus, sock))
        log = open(os.path.join(self.tmp, name + ".log"), "wb")
        p = subprocess.Popen(NO_SYS_TIME + [self.stratad, "-x", "-d", "-f", conf], stdout=log,
                             stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.procs.append(p)
        wait_ntp(port, p)
        return {"name": name, "proc": p, "port": port, "sock": sock, "workers": workers}

    def load(self, server, rate, seconds, load_cpus, extra=(), json_out=None):
        out = json_out or os.path.join(self.tmp, "run.json")
        argv = [self.strataperf, "127.0.0.1:%d" % server["port"], "--rate", str(rate), "--time",
                str(seconds), "--clients", "1000", "--json", out, "-q"] + list(extra)
        if load_cpus:
            argv = ["taskset", "-c", load_cpus] + argv
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, timeout=900)
        with open(out) as f:
            return json.load(f)

    def worker_replies(self, server):
        out = subprocess.run([self.stratactl, "-h", server["sock"], "--json", "workers"], check=True,
                             capture_output=True, text=True, timeout=10).stdout
        return [w["replied"] for w in json.loads(out)["workers"]]


def replies_of(run):
    return sum(s["replies"]["basic"] + s["replies"]["interleaved"] for s in run["steps"])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "results"))
    ap.add_argument("--results", default=os.path.join(ROOT, "bench", "RESULTS.md"))
    ap.add_argument("--rate", type=int, default=20000, help="req/s per worker in the CPU rounds")
    ap.add_argument("--rounds", type=int, default=12)
    args = ap.parse_args()

    ncpu = os.cpu_count() or 1
    if ncpu < 2:
        print("scaling.py needs at least 2 CPUs", file=sys.stderr)
        return 1
    last = str(ncpu - 1)
    others = ",".join(str(c) for c in range(ncpu - 1))
    os.makedirs(args.out, exist_ok=True)
    d = Daemons(args.build)
    try:
        one = d.start("one", 1, last)
        many = d.start("many", ncpu, "0-%d" % (ncpu - 1))
        # One worker has its CPU to itself, strataperf the others (as in compare.py); with a
        # worker on every CPU, strataperf runs wherever the scheduler puts it.
        configs = [(one, args.rate, others), (many, args.rate * ncpu, None)]
        for server, rate, cpus in configs:  # warm-up: client records, calibration
            d.load(server, rate, 1, cpus)
        base_replies = {s["name"]: d.worker_replies(s) for s, _, _ in configs}

        cpu = {"one": [], "many": []}
        for r in range(args.rounds):
            for k in range(len(configs)):
                server, rate, cpus = configs[(k + r) % len(configs)]
                before = worker_cpu_seconds(server["proc"].pid)
                run = d.load(server, rate, ROUND_SECONDS, cpus)
                after = worker_cpu_seconds(server["proc"].pid)
                cpu[server["name"]].append((after - before) / max(replies_of(run), 1) * 1e6)
        ratios = [m / o for o, m in zip(cpu["one"], cpu["many"])]
        split = [b - a for a, b in zip(base_replies["many"], d.worker_replies(many))]

        ladders = {}
        for server, _, cpus in configs:
            out = os.path.join(args.out, "scaling-%s.json" % server["name"])
            ladders[server["name"]] = d.load(server, "10000-400000", LADDER_STEP_SECONDS, cpus,
                                             extra=["--step", "1.4", "--max-loss", "20"],
                                             json_out=out)
    finally:
        d.close()

    def ladder_cell(run):
        rate = max_rate(run)[0]
        return "%d%s" % (rate, " (strataperf-bound)" if sender_bound(run) else "")

    total = sum(split) or 1
    lines = [
        "| figure | 1 worker | %d workers | %d workers / 1 |" % (ncpu, ncpu),
        "|---|---|---|---|",
        "| serving threads' CPU per reply, median of %d rounds (µs); 1 worker at %d req/s, "
        "%d at %d | %.2f | %.2f | %.2f (%.2f-%.2f) |" % (
            args.rounds, args.rate, ncpu, args.rate * ncpu, statistics.median(cpu["one"]),
            statistics.median(cpu["many"]), statistics.median(ratios), min(ratios), max(ratios)),
        "| replies per worker in those rounds (share) | – | %s | – |" % " / ".join(
            "%d (%.1f %%)" % (n, 100.0 * n / total) for n in split),
        "| highest offered rate with < 1 %% loss (req/s) | %s | %s | – |" % (
            ladder_cell(ladders["one"]), ladder_cell(ladders["many"])),
    ]
    table = "\n".join(lines)
    print(table)
    command = "bench/compare/scaling.py --rate %d --rounds %d" % (args.rate, args.rounds)
    if args.results:
        replace_section(args.results, "scaling", RESULTS_TEMPLATE.format(
            date=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), command=command, table=table,
            cpus=ncpu, kernel=os.uname().release, last=last, others=others,
            seconds=ROUND_SECONDS, step_seconds=LADDER_STEP_SECONDS, load=os.getloadavg()[0]))
    return 0


RESULTS_TEMPLATE = """## Scaling: one worker against one worker per CPU

Latest run: {date}, `{command}` on this machine ({cpus} CPUs, kernel {kernel}, load average
{load:.1f} at the end of the run). Two stratad (`-x`, without CAP_SYS_TIME, `clientloglimit
100000000`): one with `workers 1` on CPU {last}, strataperf on CPU {others}; one with
`workers {cpus}` pinned one per CPU, strataperf unpinned among them. 1000 clients, basic mode.

{table}

How to read it: this machine cannot show replies/s growing with workers, because the load
generator needs about as much CPU as the server and there are no spare cores for it. The
first row shows what decides scaling instead. Each worker of the {cpus}-worker daemon serves
about as many requests per second as the single worker, so equal CPU per reply means that
a worker pays nothing for the others. Each round runs both daemons for {seconds} s, in
rotating order; the ratio is the median of the per-round ratios, with their range. The
{cpus}-worker figure also pays for sharing its CPUs with strataperf (caches, preemption),
which the single worker does not. The second row is how the reuseport steering (a hash of
the client's address) spreads the clients. The last row is each ladder's highest step (x1.4
from 10000 req/s, {step_seconds} s per step); "(strataperf-bound)" marks a ladder that ended
because strataperf could not send the next step while the server still answered it.
"""

if __name__ == "__main__":
    sys.exit(main())
