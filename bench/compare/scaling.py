#!/usr/bin/env python3
"""Worker scaling: stratad with one serving worker against stratad with one worker per CPU,
on loopback, under the same load from strataperf, in one run. Writes the "scaling" section
of bench/RESULTS.md and the strataperf JSON of the last budget run of each daemon.

A machine only shows replies/s growing with workers when the load generator can outrun
them. Where it has no spare CPUs for that (the 2-CPU machines this project is built on),
this measures:
  1. CPU per reply of the serving threads: one worker at R req/s against N workers at N x R
     (so each worker serves about R). Equal figures mean that a worker pays nothing for the
     others (no shared cache lines, locks or queues), so capacity grows with the cores given
     to workers, up to what the kernel's UDP path allows.
  2. How evenly the reuseport steering spreads 1000 clients over the workers.
  3. Replies/s with each worker held to the same share of its CPU (a cgroup CPU limit per
     worker thread, as in budget.py): one worker against N, each saturated by strataperf,
     which then has most of the CPUs to itself. N workers on N CPUs answering N times what
     one answers is replies/s growing with workers.

Both daemons run without clock control (-x) and without CAP_SYS_TIME, on 127.0.0.1 only,
and are stopped at the end, also on errors.

usage: bench/compare/scaling.py [--build DIR] [--rate R] [--rounds K] [--quota US] [--period US]
                               [--results FILE]
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from compare import argument_parser, paired_ratio, wait_ntp
from cpu_budget import CpuBudget
from processes import NO_SYS_TIME, free_port, stop_all
from results_file import replace_section

ROUND_SECONDS = 1.5
BUDGET_SECONDS = 3
OVERLOAD = 1.6  # offered rate / what the workers answered in the probe
# After a saturating run: a throttled worker needs a moment to answer its backlog, or the
# next run's first request (strataperf's check that the server answers) waits behind it.
DRAIN_SECONDS = 0.5


def worker_tids(pid):
    """Thread ids of the process's serving threads (named strata-wN)."""
    tids = []
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/comm" % (pid, tid)) as f:
                if f.read().startswith("strata-w"):
                    tids.append(int(tid))
        except OSError:
            continue  # the thread ended
    return tids


def worker_cpu_seconds(pid):
    """Run time (scheduler, ns -> s) of the process's serving threads."""
    total_ns = 0
    for tid in worker_tids(pid):
        try:
            with open("/proc/%d/task/%d/schedstat" % (pid, tid)) as f:
                total_ns += int(f.read().split()[0])
        except OSError:
            continue
    return total_ns / 1e9


class Daemons:
    def __init__(self, build):
        self.build = os.path.abspath(build)
        self.tmp = tempfile.mkdtemp(prefix="strata-scaling-")
        self.procs = []
        self.budgets = []
        self.stratad = os.path.join(self.build, "server", "stratad", "stratad")
        self.stratactl = os.path.join(self.build, "tools", "stratactl", "stratactl")
        self.strataperf = os.path.join(self.build, "tools", "strataperf", "strataperf")

    def close(self):
        stop_all(self.procs)  # first: a cgroup with threads in it cannot be removed
        for budget in self.budgets:
            budget.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def limit_workers(self, server, quota_us, period_us):
        """Holds each serving thread of `server` to quota_us of CPU every period_us."""
        for tid in worker_tids(server["proc"].pid):
            budget = CpuBudget("%s-%d" % (server["name"], tid), quota_us, period_us)
            self.budgets.append(budget)
            budget.add_thread(tid)

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
    ap = argument_parser(__doc__)
    ap.add_argument("--rate", type=int, default=20000, help="req/s per worker in the CPU rounds")
    ap.add_argument("--rounds", type=int, default=12)
    ap.add_argument("--quota", type=int, default=1000,
                    help="CPU time per period of each worker, µs (>= 1000)")
    ap.add_argument("--period", type=int, default=4000, help="µs")
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
        split = [b - a for a, b in zip(base_replies["many"], d.worker_replies(many))]

        # Replies/s with every worker held to the same share of its CPU: strataperf outruns
        # them, so each configuration answers what its workers can. Only replies received
        # while sending count (--grace 0), not the receive buffer's backlog.
        for server, _, _ in configs:
            d.limit_workers(server, args.quota, args.period)
        saturate = ["--grace", "0"]
        # strataperf unpinned for both: where it runs decides whether a worker's reply wakes it
        # on the worker's CPU or by an interrupt to another, which the worker pays for.
        probe = d.load(one, 100000, BUDGET_SECONDS, None, extra=saturate)["steps"][0]["reply_rate"]
        time.sleep(DRAIN_SECONDS)
        offered = {"one": int(OVERLOAD * probe), "many": int(OVERLOAD * probe * ncpu)}
        budget_runs = {"one": [], "many": []}
        for r in range(max(args.rounds // 2, 3)):
            for k in range(len(configs)):
                server = configs[(k + r) % len(configs)][0]
                name = server["name"]
                out = os.path.join(args.out, "scaling-%s.json" % name)
                cpu0, t0 = worker_cpu_seconds(server["proc"].pid), time.monotonic()
                step = d.load(server, offered[name], BUDGET_SECONDS, None, extra=saturate,
                              json_out=out)["steps"][0]
                used = worker_cpu_seconds(server["proc"].pid) - cpu0
                step["cpu_cores"] = used / (time.monotonic() - t0)
                budget_runs[name].append(step)
                time.sleep(DRAIN_SECONDS)
    finally:
        d.close()

    rates = {n: [s["reply_rate"] for s in budget_runs[n]] for n in budget_runs}
    cores = {n: [s["cpu_cores"] for s in budget_runs[n]] for n in budget_runs}
    short = sum(1 for n in budget_runs for s in budget_runs[n] if s["send_shortfall"])

    total = sum(split) or 1
    lines = [
        "| figure | 1 worker | %d workers | %d workers / 1 |" % (ncpu, ncpu),
        "|---|---|---|---|",
        "| serving threads' CPU per reply, median of %d rounds (µs); 1 worker at %d req/s, "
        "%d at %d | %.2f | %.2f | %s |" % (
            args.rounds, args.rate, ncpu, args.rate * ncpu, statistics.median(cpu["one"]),
            statistics.median(cpu["many"]), paired_ratio(cpu["many"], cpu["one"])),
        "| replies per worker in those rounds (share) | – | %s | – |" % " / ".join(
            "%d (%.1f %%)" % (n, 100.0 * n / total) for n in split),
        "| replies/s, each worker held to %d µs of CPU every %d µs, median of %d runs (offered) "
        "| %.0f (%d) | %.0f (%d) | %s |" % (
            args.quota, args.period, len(rates["one"]), statistics.median(rates["one"]),
            offered["one"], statistics.median(rates["many"]), offered["many"],
            paired_ratio(rates["many"], rates["one"])),
        "| serving threads' CPU use in those runs, median (cores) | %.3f | %.3f | %.2f |" % (
            statistics.median(cores["one"]), statistics.median(cores["many"]),
            statistics.median(cores["many"]) / max(statistics.median(cores["one"]), 1e-9)),
    ]
    table = "\n".join(lines)
    print(table)
    shortfall = " strataperf fell short of the offered rate in %d runs." % short if short else ""
    command = "bench/compare/scaling.py --rate %d --rounds %d --quota %d --period %d" % (
        args.rate, args.rounds, args.quota, args.period)
    if args.results:
        replace_section(args.results, "scaling", RESULTS_TEMPLATE.format(
            date=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), command=command, table=table,
            cpus=ncpu, kernel=os.uname().release, last=last, others=others,
            seconds=ROUND_SECONDS, budget_seconds=BUDGET_SECONDS, load=os.getloadavg()[0],
            share=args.quota / args.period, overload=OVERLOAD,
            short=shortfall))
    return 0


RESULTS_TEMPLATE = """## Scaling: one worker against one worker per CPU

Latest run: {date}, `{command}` on this machine ({cpus} CPUs, kernel {kernel}, load average
{load:.1f} at the end of the run). Two stratad (`-x`, without CAP_SYS_TIME, `clientloglimit
100000000`): one with `workers 1` on CPU {last}, strataperf on CPU {others}; one with
`workers {cpus}` pinned one per CPU, strataperf unpinned among them. 1000 clients, basic mode.

{table}

How to read it: with a core of its own per worker, this machine could not show replies/s
growing with workers: the load generator needs about as much CPU as the server, and there
are no spare cores for it. The first row shows what decides scaling: each worker of the
{cpus}-worker daemon serves about as many requests per second as the single worker, so equal
CPU per reply means that a worker pays nothing for the others. Each round runs both daemons
for {seconds} s, in rotating order; the ratio is the median of the per-round ratios, with
their range. The {cpus}-worker daemon shares its CPUs with strataperf and the single worker
does not, which on loopback changes what a reply costs (which CPU builds and frees each
datagram, which wake-ups cross CPUs). The second row is how the reuseport steering
(a hash of the client's address) spreads the clients. The last row measures the scaling
itself: every serving thread is held to {share:.2f} of its CPU (a cgroup CPU limit per
thread), so strataperf, with the rest of the CPUs, offers {overload} x what the workers can
answer and each daemon answers all its workers can ({budget_seconds} s runs, taking turns;
only replies received while strataperf sends count). {cpus} workers on {cpus} CPUs
answering {cpus} x what one answers is linear scaling; the ratio column is the median of
the per-round ratios, with their range. strataperf runs unpinned in these runs for both
daemons. The next row shows that the serving threads used (nearly) their whole budget, so
replies/s divided by it compares what a worker answers per CPU second in each daemon.{short}
"""

if __name__ == "__main__":
    sys.exit(main())
