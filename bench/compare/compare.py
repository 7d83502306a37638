#!/usr/bin/env python3
"""Side-by-side benchmark: stratad, Debian's chronyd and the floor responder on loopback,
under the same load from strataperf, in one run. Writes bench/RESULTS.md (the table and the
command), the strataperf JSON files and a comparison plot.

Every server runs without clock control (-x) and without CAP_SYS_TIME; chronyd has no
ratelimit. Servers are pinned to one CPU and strataperf to the other(s), so "CPU per reply"
is the server's own cost. All traffic stays on 127.0.0.1; every process is stopped at the
end, also on errors.

usage: bench/compare/compare.py [--build DIR] [--quick] [--out DIR] [--results FILE]
"""

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

from processes import NO_SYS_TIME, free_port, stop_all
from results_file import replace_section

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CLK_TCK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """CPU time of a process and all its threads, seconds: the scheduler's run time in ns
    (/proc/PID/task/*/schedstat) where the kernel has it, else utime + stime in clock ticks
    (10 ms each: 1-2 % of a 5 s run at 10000 req/s)."""
    total_ns = 0
    try:
        for tid in os.listdir("/proc/%d/task" % pid):
            with open("/proc/%d/task/%s/schedstat" % (pid, tid)) as f:
                total_ns += int(f.read().split()[0])
        return total_ns / 1e9
    except (OSError, ValueError, IndexError):
        pass
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def argument_parser(doc):
    """The options every side-by-side script takes: --build, --out and --results."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "results"))
    ap.add_argument("--results", default=os.path.join(ROOT, "bench", "RESULTS.md"))
    return ap


def wait_ntp(port, proc, timeout=10):
    request = bytes([0x23]) + bytes(39) + b"\x01" * 8
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("server exited: %s" % proc.args)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(0.2)
            s.sendto(request, ("127.0.0.1", port))
            try:
                s.recvfrom(512)
                return
            except socket.timeout:
                pass
    raise RuntimeError("server on port %d did not answer" % port)


class Bench:
    def __init__(self, args):
        self.args = args
        self.build = os.path.abspath(args.build)
        self.tmp = tempfile.mkdtemp(prefix="strata-bench-")
        self.out = os.path.abspath(args.out)
        os.makedirs(self.out, exist_ok=True)
        self.procs = []
        ncpu = os.cpu_count() or 1
        self.server_cpu = str(ncpu - 1)
        self.load_cpus = ",".join(str(c) for c in range(max(1, ncpu - 1))) if ncpu > 1 else "0"
        self.strataperf = os.path.join(self.build, "tools", "strataperf", "strataperf")
        self.stratad = os.path.join(self.build, "server", "stratad", "stratad")
        self.floor = os.path.join(self.build, "bench", "floor", "ntp-floor-responder")
        self.chronyd = os.path.join(ROOT, ".deps", "chrony", "usr", "sbin", "chronyd")

    def close(self):
        stop_all(self.procs)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def launch_prefix(self, name):
        """argv in front of server `name`'s command (budget.py puts each server in a cgroup)."""
        return []

    def start(self, name, argv, port):
        log = open(os.path.join(self.tmp, name + ".log"), "wb")
        p = subprocess.Popen(self.launch_prefix(name) + ["taskset", "-c", self.server_cpu] + NO_SYS_TIME + argv,
                             stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.procs.append(p)
        wait_ntp(port, p)
        return p

    def start_servers(self):
        servers = {}
        port = free_port()
        servers["floor"] = (self.start("floor", [self.floor, "127.0.0.1", str(port), "1", "32"], port), port)
        # The floor plus kernel RX timestamps: for CPU per reply only (what precise receive
        # stamps alone cost, which every accurate server pays).
        port = free_port()
        servers["floor-rxts"] = (self.start("floor-rxts", [self.floor, "127.0.0.1", str(port), "1", "32",
                                                           "rx-timestamps"], port), port)
        # The floor stamping every reply as an interleaved server must (RX stamps, and a TX
        # stamp per reply read back from the error queue): for CPU per reply only, against
        # stratad serving interleaved clients.
        port = free_port()
        servers["floor-txts"] = (self.start("floor-txts", [self.floor, "127.0.0.1", str(port), "1", "32",
                                                           "rx-timestamps", "tx-timestamps"], port), port)
        port = free_port()
        conf = os.path.join(self.tmp, "chronyd.conf")
        with open(conf, "w") as f:
            f.write("port %d\nbindaddress 127.0.0.1\nallow 127.0.0.0/8\nlocal stratum 1\ncmdport 0\n"
                    "pidfile %s/chronyd.pid\ndriftfile %s/drift\nclientloglimit 100000000\n"
                    % (port, self.tmp, self.tmp))
        servers["chronyd"] = (self.start("chronyd", [self.chronyd, "-x", "-d", "-u", "root", "-f", conf], port), port)
        port = free_port()
        conf = os.path.join(self.tmp, "stratad.conf")
        with open(conf, "w") as f:
            f.write("port %d\nbindaddress 127.0.0.1\nallow 127.0.0.0/8\nlocal stratum 1\nworkers 1\n"
                    "clientloglimit 100000000\n" % port)
        servers["stratad"] = (self.start("stratad", [self.stratad, "-x", "-d", "-f", conf], port), port)
        return servers

    def perf(self, name, port, mode, rate, step_time, extra=()):
        out = os.path.join(self.out, "%s-%s.json" % (name, mode))
        argv = (["taskset", "-c", self.load_cpus, self.strataperf, "127.0.0.1:%d" % port, "--rate", rate,
                 "--step", "1.4", "--time", str(step_time), "--clients", "1000", "--mode", mode,
                 "--label", "%s %s" % (name, mode), "--json", out, "-q", "--max-loss", "20"] + list(extra))
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, timeout=900)
        with open(out) as f:
            return json.load(f)

    def cpu_per_reply(self, name, proc, port, rate, seconds, mode="basic"):
        before = cpu_seconds(proc.pid)
        out = os.path.join(self.tmp, "%s-cpu.json" % name)
        argv = ["taskset", "-c", self.load_cpus, self.strataperf, "127.0.0.1:%d" % port, "--rate", str(rate),
                "--time", str(seconds), "--clients", "1000", "--mode", mode, "--tx-sample", "64",
                "--json", out, "-q"]
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, timeout=300)
        after = cpu_seconds(proc.pid)
        with open(out) as f:
            run = json.load(f)
        replies = sum(s["replies"]["basic"] + s["replies"]["interleaved"] for s in run["steps"])
        return (after - before) / max(replies, 1) * 1e6, replies


ACC_ROUNDS = 8  # rounds of accuracy runs (per mode, chronyd and stratad back to back)
AT80_RUNS = 5  # interleaved runs at 0.8 x own basic max per server
CPU_ROUNDS = 16  # rounds of CPU-per-reply runs (each server once per rate, order rotating)
CPU_SECONDS = 1.5


def median_run(runs, key):
    """The run whose key is the median (the lower middle one for an even count)."""
    ordered = sorted(runs, key=key)
    return ordered[(len(ordered) - 1) // 2]


def max_rate(run, loss_pct=1.0):
    """Highest offered rate with < loss_pct loss and no sender shortfall, and its reply rate."""
    best = (0, 0)
    for s in run["steps"]:
        if s["lost_pct"] < loss_pct and not s["send_shortfall"]:
            best = max(best, (s["rate"], s["reply_rate"]))
    return best


def sender_bound(run, loss_pct=1.0):
    """True if the ladder ended because strataperf could not send the next step's rate
    while the server still answered it (< loss_pct lost): the max rate is strataperf's."""
    best = max_rate(run, loss_pct)[0]
    above = [s for s in run["steps"] if s["rate"] > best]
    return bool(above) and above[0]["send_shortfall"] and above[0]["lost_pct"] < loss_pct


def step_at(run, rate):
    """The step whose offered rate is closest to `rate` from below, among the steps strataperf
    sent at the asked rate (a step it could not send measures strataperf, not the server)."""
    steps = [s for s in run["steps"] if s["rate"] <= rate and not s["send_shortfall"]]
    return (steps or run["steps"][:1])[-1]


def paired_ratio(a, b, digits=2):
    """"median (min-max)" of a[k] / b[k] over rounds k: each ratio is taken within a round
    (both figures measured back to back), so the machine's drift between rounds cancels."""
    r = [x / y for x, y in zip(a, b) if y > 0]
    if not r:
        return "n/a"
    return "%.*f (%.*f-%.*f)" % (digits, statistics.median(r), digits, min(r), digits, max(r))


def fmt_ns(stats):
    if not stats or stats.get("count", 0) == 0 or stats.get("mean") is None:
        return "n/a"
    return "%+.2f / %+.2f / %+.2f" % (stats["mean"] / 1000, stats["p50"] / 1000, stats["p99"] / 1000)


def main():
    ap = argument_parser(__doc__)
    ap.add_argument("--quick", action="store_true", help="short steps (for a smoke run)")
    args = ap.parse_args()
    step_time = 1 if args.quick else 2
    bench = Bench(args)
    try:
        servers = bench.start_servers()
        basic, inter = {}, {}
        for name in ("floor", "chronyd", "stratad"):
            proc, port = servers[name]
            print("basic ladder: %s" % name, file=sys.stderr)
            basic[name] = bench.perf(name, port, "basic", "5000-250000", step_time, ["--tx-sample", "16"])
        for name in ("chronyd", "stratad"):
            proc, port = servers[name]
            print("interleaved ladder: %s" % name, file=sys.stderr)
            inter[name] = bench.perf(name, port, "interleaved", "5000-250000", step_time, ["--tx-sample", "16"])
        # The interleaved target, measured directly: interleaved steps at 0.8 x the
        # server's own basic maximum (the ladder's x1.4 steps straddle it), AT80_RUNS of them
        # taking turns: near a server's capacity the share moves from run to run with this
        # machine (before stratad held earlier timestamp pairs and shed TX stamps under
        # overload, it was bimodal: 10-99.6 %), so one run shows little.
        at80 = {"chronyd": [], "stratad": []}
        for k in range(AT80_RUNS):
            for name in ("chronyd", "stratad"):
                proc, port = servers[name]
                rate = int(0.8 * max_rate(basic[name])[0])
                print("interleaved at 0.8 x own basic max (%d/s): %s" % (rate, name), file=sys.stderr)
                at80[name].append(bench.perf(name + "-80", port, "interleaved", str(rate), step_time,
                                             ["--tx-sample", "16"])["steps"][0])
        # Timestamp accuracy at a moderate rate every server handles, every request stamped.
        # Servers alternate over ACC_ROUNDS short runs; the table shows each server's median
        # run (by mean TX error): a burst of noise on this shared machine hits one run, not
        # the figure.
        # Interleaved runs the same way: their error is a few tenths of a microsecond, the
        # kernel's own path from the TX stamp to the reply's RX stamp, and one run's mean moves
        # by 0.1 us with the machine, about as much as the servers differ. So in every round
        # the two servers' runs of one mode come back to back (who goes first alternates),
        # and the ratio rows are the median over the rounds of the ratio within a round.
        acc_runs = {(name, mode): [] for name in ("chronyd", "stratad") for mode in ("basic", "interleaved")}
        for k in range(ACC_ROUNDS):
            for mode in ("basic", "interleaved"):
                for name in (("chronyd", "stratad") if k % 2 == 0 else ("stratad", "chronyd")):
                    proc, port = servers[name]
                    out = os.path.join(bench.out, "%s-accuracy%s.json" % (name, "" if mode == "basic" else "-" + mode))
                    subprocess.run(["taskset", "-c", bench.load_cpus, bench.strataperf, "127.0.0.1:%d" % port,
                                    "--rate", "5000", "--time", "3", "--clients", "1000", "--mode", mode,
                                    "--label", "%s %s 5k/s" % (name, mode), "--json", out, "-q"],
                                   check=True, stdout=subprocess.DEVNULL, timeout=120)
                    with open(out) as f:
                        acc_runs[(name, mode)].append(json.load(f)["steps"][0])
        acc = {name: median_run(acc_runs[(name, "basic")], lambda s: s["tx_error_basic_ns"]["mean"])
               for name in ("chronyd", "stratad")}
        acc_i = {name: median_run(acc_runs[(name, "interleaved")], lambda s: s["tx_error_interleaved_ns"]["mean"])
                 for name in ("chronyd", "stratad")}
        # Light load (a wake-up per request or two) and heavy load (batches fill up). One run
        # varies by +-10 % with the machine (its host), more than the servers differ, so every
        # round runs each server once, back to back in an order that rotates, and the ratios
        # are taken within a round (the median over the rounds counts), not between medians.
        # stratad also serves interleaved clients in these rounds ("stratad-xleave"), to set its
        # CPU per reply then against the floor that stamps every reply.
        cpu_rates = (10000, 50000)
        cpu_runs = {}
        names = list(servers) + ["stratad-xleave"]
        for k in range(CPU_ROUNDS):
            for rate in cpu_rates:
                for i in range(len(names)):
                    name = names[(i + k) % len(names)]
                    server, mode = ("stratad", "interleaved") if name == "stratad-xleave" else (name, "basic")
                    proc, port = servers[server]
                    print("cpu per reply at %d/s: %s (round %d)" % (rate, name, k + 1), file=sys.stderr)
                    cpu_runs.setdefault((name, rate), []).append(
                        bench.cpu_per_reply(name, proc, port, rate, CPU_SECONDS, mode)[0])
        plot = os.path.join(bench.out, "compare.svg")
        subprocess.run([bench.strataperf, "--plot", plot] +
                       sum([["--from", os.path.join(bench.out, "%s-basic.json" % n)] for n in basic], []) +
                       sum([["--from", os.path.join(bench.out, "%s-interleaved.json" % n)] for n in inter], []),
                       check=True, stdout=subprocess.DEVNULL)
    finally:
        bench.close()

    floor_max = max_rate(basic["floor"])
    chrony_max = max_rate(basic["chronyd"])
    strata_max = max_rate(basic["stratad"])
    chrony_imax = max_rate(inter["chronyd"])
    strata_imax = max_rate(inter["stratad"])

    def ratio(a, b):
        return "%.2f" % (a / b) if b else "n/a"

    def interleaved_share(run, rate):
        s = step_at(run, rate)
        return s["interleaved_pct"]

    def rate_cell(run, best):
        return "%d%s" % (best[0], " (strataperf-bound)" if sender_bound(run) else "")

    lines = []
    lines.append("| figure | floor | chronyd | stratad | stratad / floor | stratad / chronyd |")
    lines.append("|---|---|---|---|---|---|")
    lines.append("| basic: highest offered rate with < 1 %% loss (req/s) | %s | %s | %s | %s | %s |" % (
        rate_cell(basic["floor"], floor_max), rate_cell(basic["chronyd"], chrony_max),
        rate_cell(basic["stratad"], strata_max), ratio(strata_max[0], floor_max[0]),
        ratio(strata_max[0], chrony_max[0])))
    for rate in cpu_rates:
        f, c, st = (cpu_runs[(n, rate)] for n in ("floor", "chronyd", "stratad"))
        lines.append("| server CPU per reply at %d req/s, median of rounds (µs) | %.2f | %.2f | %.2f | %s | %s |" % (
            rate, statistics.median(f), statistics.median(c), statistics.median(st), paired_ratio(st, f),
            paired_ratio(st, c)))
    for rate in cpu_rates:
        f, fts, st = (cpu_runs[(n, rate)] for n in ("floor", "floor-rxts", "stratad"))
        lines.append("| floor with kernel RX timestamps, CPU per reply at %d req/s (µs); its ratio to the floor | "
                     "%.2f; %s | – | – | stratad / it: %s | – |" % (
                         rate, statistics.median(fts), paired_ratio(fts, f), paired_ratio(st, fts)))
    for rate in cpu_rates:
        fts, ftx, sx = (cpu_runs[(n, rate)] for n in ("floor-rxts", "floor-txts", "stratad-xleave"))
        lines.append("| floor stamping every reply (RX and TX stamps), CPU per reply at %d req/s (µs); its ratio "
                     "to the floor with RX stamps | %.2f; %s | – | stratad with interleaved clients: %.2f | "
                     "stratad interleaved / it: %s | – |" % (
                         rate, statistics.median(ftx), paired_ratio(ftx, fts), statistics.median(sx),
                         paired_ratio(sx, ftx)))
    lines.append("| interleaved: highest offered rate with < 1 %% loss (req/s) | – | %s | %s | – | %s |" % (
        rate_cell(inter["chronyd"], chrony_imax), rate_cell(inter["stratad"], strata_imax),
        ratio(strata_imax[0], chrony_imax[0])))
    lines.append("| interleaved max rate / own basic max rate | – | %s | %s | – | – |" % (
        ratio(chrony_imax[0], chrony_max[0]), ratio(strata_imax[0], strata_max[0])))
    lines.append("| interleaved share of replies at own basic max rate (%%) | – | %.1f | %.1f | – | – |" % (
        interleaved_share(inter["chronyd"], chrony_max[0]), interleaved_share(inter["stratad"], strata_max[0])))

    def at80_cell(steps):
        return "%d req/s, %d runs: %s %% lost; %s %% of named requests (%s %% of all replies) interleaved%s" % (
            steps[0]["rate"], len(steps), " / ".join("%.2f" % s["lost_pct"] for s in steps),
            " / ".join("%.1f" % s["named_interleaved_pct"] for s in steps),
            " / ".join("%.1f" % s["interleaved_pct"] for s in steps),
            " (strataperf short in %d)" % sum(1 for s in steps if s["send_shortfall"])
            if any(s["send_shortfall"] for s in steps) else "")
    lines.append("| interleaved clients at 0.8 x own basic max rate | – | %s | %s | – | – |" % (
        at80_cell(at80["chronyd"]), at80_cell(at80["stratad"])))
    cb, sb = acc["chronyd"]["tx_error_basic_ns"], acc["stratad"]["tx_error_basic_ns"]
    lines.append("| basic TX error at 5000 req/s, median run: mean / p50 / p99 (µs) | – | %s | %s | – | %s (mean) |" % (
        fmt_ns(cb), fmt_ns(sb), ratio(abs(sb["mean"]), abs(cb["mean"]))))

    def run_means(name, mode):
        key = "tx_error_%s_ns" % mode
        return ", ".join("%+.2f" % (r[key]["mean"] / 1000) for r in acc_runs[(name, mode)])
    lines.append("| basic TX error mean of each run, in order (µs) | – | %s | %s | – | – |" % (
        run_means("chronyd", "basic"), run_means("stratad", "basic")))

    def paired_means(mode):
        key = "tx_error_%s_ns" % mode
        return paired_ratio([abs(r[key]["mean"] or 0) for r in acc_runs[("stratad", mode)]],
                            [abs(r[key]["mean"] or 0) for r in acc_runs[("chronyd", mode)]])
    lines.append("| basic TX error, |mean| within each round, stratad / chronyd: paired median (range) "
                 "| – | – | – | – | %s |" % paired_means("basic"))
    ci = acc_i["chronyd"]["tx_error_interleaved_ns"]
    si = acc_i["stratad"]["tx_error_interleaved_ns"]
    lines.append("| interleaved TX error at 5000 req/s, median run: mean / p50 / p99 (µs) | – | %s | %s | – | %s (mean) |" % (
        fmt_ns(ci), fmt_ns(si), ratio(abs(si["mean"] or 0), abs(ci["mean"] or 1))))
    lines.append("| interleaved TX error mean of each run, in order (µs) | – | %s | %s | – | – |" % (
        run_means("chronyd", "interleaved"), run_means("stratad", "interleaved")))
    lines.append("| interleaved TX error, mean within each round, stratad / chronyd: paired median "
                 "(range) | – | – | – | – | %s |" % paired_means("interleaved"))
    cr, sr = acc["chronyd"]["rx_error_ns"], acc["stratad"]["rx_error_ns"]
    lines.append("| RX error at 5000 req/s, mean / p50 / p99 (µs) | – | %s | %s | – | – |" % (fmt_ns(cr), fmt_ns(sr)))

    command = "bench/compare/compare.py" + (" --quick" if args.quick else "")
    table = "\n".join(lines)
    print(table)
    if args.results:
        replace_section(args.results, "serving", RESULTS_TEMPLATE.format(
            date=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), command=command, table=table,
            cpus=os.cpu_count(), kernel=os.uname().release, load=os.getloadavg()[0],
            server_cpu=bench.server_cpu, load_cpus=bench.load_cpus, cpu_rounds=CPU_ROUNDS, cpu_seconds=CPU_SECONDS,
            acc_rounds=ACC_ROUNDS))
    return 0


RESULTS_TEMPLATE = """## Serving: stratad vs chronyd vs the kernel's floor

Latest run: {date}, `{command}` on this machine ({cpus} CPUs, kernel {kernel}, load
average {load:.1f} at the end of the run). Servers pinned to CPU {server_cpu}, strataperf to
CPU {load_cpus}; stratad with `workers 1`; chronyd 4.3 (Debian) with `-x`, no ratelimit;
every server without CAP_SYS_TIME. Figures are from one run of the script on a shared,
noisy machine: read the ratios, not the absolute values. Plot: `bench/results/compare.svg`; raw strataperf
JSON: `bench/results/*.json`.

{table}

How to read it: "highest offered rate with < 1 % loss" is the ladder step (x1.4) where no
more than 1 % of requests went unanswered and strataperf itself sent at the asked rate;
"(strataperf-bound)" marks a ladder that ended because strataperf could not send the next
step while the server still answered it: that figure is strataperf's, not the server's
(strataperf's interleaved client costs it more per request than its basic one). "CPU per
reply" is the server process's CPU time (the scheduler's run time of all its threads) during
a {cpu_seconds} s run at a fixed rate divided by the replies it sent. There are {cpu_rounds}
rounds; in each every server runs once, back to back, in an order that rotates. The ratio
columns give the median over the rounds of the ratio within a round, and its range (one run
moves by +-10 % with the machine, more than the servers differ); the absolute columns give
each server's median run. "floor with kernel RX timestamps" is the floor responder asking
the kernel for software receive timestamps (`rx-timestamps`), which every precise server
pays for; it takes part in the CPU rounds only. "floor stamping every reply" adds a kernel
TX timestamp of every reply, read back from the error queue (`tx-timestamps`): what an
interleaved server must pay the kernel per reply; in the same rounds stratad serves
interleaved clients (each client's first two replies are basic, the rest interleaved;
every reply from the second on is stamped), and the row sets the two against each other. stratad's sockets forbid fragmenting
replies, so its IPv4 replies carry IP ID 0 and the kernel skips its shared IP ID generator,
which the floor (as the issue defines it) does not: budget.py measures the floor with that
option too. At 10000 req/s most requests wake the server alone, so wake-ups
and cold caches dominate; at 50000 req/s batches fill. TX error = strataperf's kernel RX stamp of the
reply - the server's transmit timestamp (positive: the stamp is early). Basic TX and RX
error: {acc_rounds} runs of 3 s per server, taking turns, 1000 clients (the addresses of the
interleaved ladder before them); the table shows each server's median run by mean TX error,
the next line every run's mean, because one run's mean moves by a microsecond with
the tail (the rare reply that leaves tens of µs after its stamp), and then the median over the
rounds of stratad's mean / chronyd's in the same round (their runs come back to back, who goes
first alternating). Interleaved TX error compares the
precise transmit time a server sends in the next reply: {acc_rounds} runs of 3 s per server in
interleaved mode, after the basic ones of the round, shown the same way; it is the kernel's path
from the server's TX stamp to strataperf's RX stamp, a few tenths of a µs that move by 0.1 µs
from run to run, as much as the servers differ.
"""

if __name__ == "__main__":
    sys.exit(main())
