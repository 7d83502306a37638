#!/usr/bin/env python3
"""Highest reply rate under an equal CPU budget: the floor responder, chronyd and stratad on
loopback, each held to the same share of one CPU (a cgroup's CFS bandwidth limit), offered
more than any of them can answer by strataperf on the other CPU(s), in one run. Writes the
"budget" section of bench/RESULTS.md.

Why: on a 2-CPU machine strataperf cannot outrun a server that has a core of its own (on
loopback it pays the same kernel path per request), so compare.py's ladders end at
strataperf's limit and cannot tell whether stratad's highest rate is 95 % of the floor's.
Held to a third of a core, every server saturates at a rate strataperf sends with ease, and
the replies per second it manages while saturated is its highest rate for that CPU budget.
The ratios are those of that budget: this machine cannot show that a whole core gives the
same ones. In the same budget, ladders then find the basic-mode maximum (the highest rate
answered with < 1 % lost) of the floor, chronyd and stratad, and how much of it chronyd and
stratad serve to interleaved clients.

Every server runs without clock control (-x) and without CAP_SYS_TIME; chronyd has no
ratelimit. All traffic stays on 127.0.0.1; every process and cgroup is removed at the end,
also on errors. Needs root (cgroups).

usage: bench/compare/budget.py [--build DIR] [--quota US] [--period US] [--rounds K]
"""

import json
import os
import statistics
import subprocess
import sys
import time

from compare import Bench, argument_parser, cpu_seconds, paired_ratio
from processes import free_port
from cpu_budget import CpuBudget
from results_file import replace_section

SERVERS = ("floor", "floor-nofrag", "floor-rxts", "floor-txts", "chronyd", "stratad")
HEADINGS = ("floor", "floor, no-fragment", "floor + RX stamps", "floor + RX and TX stamps",
            "chronyd", "stratad")
ROUND_SECONDS = 3
OVERLOAD = 1.6  # offered rate / the floor's saturated rate in the probe
LADDER_ROUNDS = 3  # rounds of ladders (basic, interleaved, interleaved at 0.8 x) per server
LADDER_FROM = 0.5  # first step of a ladder, x the lowest saturated rate sharing its grid
LADDER_TO = 1.3  # last step at most, x the highest saturated rate sharing its grid
LADDER_STEP = 1.05
LADDER_STEP_SECONDS = 2
LADDER_PARTICIPANTS = (("floor", "basic"), ("floor-txts", "basic"), ("chronyd", "basic"),
                       ("chronyd", "interleaved"), ("stratad", "basic"), ("stratad", "interleaved"))
INTERLEAVED_SHARE = 95.0  # % of replies interleaved for a step to count as served interleaved


class BudgetBench(Bench):
    """compare.py's servers, each started inside its own CPU budget."""

    def __init__(self, args):
        super().__init__(args)
        self.budgets = {}
        try:
            for name in SERVERS:
                self.budgets[name] = CpuBudget(name, args.quota, args.period)
        except (OSError, RuntimeError):
            self.close()
            raise

    def launch_prefix(self, name):
        return self.budgets[name].launcher()

    def close(self):
        super().close()  # the servers end first: a cgroup with processes cannot be removed
        for budget in self.budgets.values():
            budget.close()

    def start_servers(self):
        servers = super().start_servers()
        # The floor with stratad's socket option that replies may not be fragmented (IPv4 ID
        # 0, no shared IP ID generator): what of stratad's rate comes from that option.
        port = free_port()
        servers["floor-nofrag"] = (self.start("floor-nofrag", [
            self.floor, "127.0.0.1", str(port), "1", "32", "no-fragment"], port), port)
        return servers

    def saturate(self, name, proc, port, rate, mode="basic"):
        """One fixed-rate step; its strataperf step, plus the server's CPU use (share of one
        CPU) and the time its budget held it back (share of the step)."""
        out = os.path.join(self.tmp, "%s-budget.json" % name)
        cpu0, thr0, t0 = cpu_seconds(proc.pid), self.budgets[name].throttled_s(), time.monotonic()
        subprocess.run(["taskset", "-c", self.load_cpus, self.strataperf, "127.0.0.1:%d" % port,
                        "--rate", str(int(rate)), "--time", str(ROUND_SECONDS), "--clients", "1000",
                        "--mode", mode, "--tx-sample", "16", "--grace", "0", "--json", out, "-q"],
                       check=True, stdout=subprocess.DEVNULL, timeout=120)
        elapsed = time.monotonic() - t0
        with open(out) as f:
            step = json.load(f)["steps"][0]
        step["cpu_share"] = (cpu_seconds(proc.pid) - cpu0) / elapsed
        step["throttled_share"] = (self.budgets[name].throttled_s() - thr0) / elapsed
        # Let the throttled server answer its backlog, or the next run's first request
        # (strataperf's check that the server answers) waits behind it.
        time.sleep(0.5)
        return step

    def step(self, name, port, rate, mode):
        """One ladder step: `rate` req/s for LADDER_STEP_SECONDS, replies counted up to
        strataperf's default grace (0.2 s) after it."""
        out = os.path.join(self.tmp, "%s-step.json" % name)
        subprocess.run(["taskset", "-c", self.load_cpus, self.strataperf, "127.0.0.1:%d" % port,
                        "--rate", str(int(rate)), "--time", str(LADDER_STEP_SECONDS),
                        "--clients", "1000", "--mode", mode, "--tx-sample", "16", "--json", out, "-q"],
                       check=True, stdout=subprocess.DEVNULL, timeout=120)
        time.sleep(0.5)
        with open(out) as f:
            return json.load(f)["steps"][0]


def outcome(step, mode):
    """"fail" with >= 1 % lost, or for an interleaved step with < INTERLEAVED_SHARE % of the
    named requests answered interleaved; else "short" if strataperf could not send at the
    step's rate (the step measured this host's sender, not the server: the ladder goes on,
    but the step counts for nothing); else "pass"."""
    if step["lost_pct"] >= 1.0:
        return "fail"
    if mode == "interleaved" and step["named_interleaved_pct"] < INTERLEAVED_SHARE:
        return "fail"
    return "short" if step["send_shortfall"] else "pass"


def ladder_max(steps, mode):
    """Highest offered rate up to which every step of a ladder passed, steps where
    strataperf fell short aside (0 if the first step failed)."""
    best = 0
    for step in steps:
        result = outcome(step, mode)
        if result == "fail":
            break
        if result == "pass":
            best = step["rate"]
    return best


def rate_grid(low, high):
    grid = [low]
    while grid[-1] * LADDER_STEP <= high:
        grid.append(grid[-1] * LADDER_STEP)
    return [int(r) for r in grid]


def paired_ladders(bench, servers, saturated, participants):
    """One round of ladders, run step by step: at each step every ladder still climbing runs
    once, back to back with the others (the order rotates), so that ladders compared in a
    ratio met the same phases of the machine. A ladder stops at its first failed step. The
    floor, the stamping floor and stratad share one grid of rates; chronyd, far slower, has
    its own. `participants`: (server, mode) pairs, in the order of the first step. Returns
    {(server, mode): [steps]}."""
    group = [saturated[n] for n in ("floor", "floor-txts", "stratad")]
    grids = {n: rate_grid(LADDER_FROM * min(group), LADDER_TO * max(group))
             for n in ("floor", "floor-txts", "stratad")}
    grids["chronyd"] = rate_grid(LADDER_FROM * saturated["chronyd"], LADDER_TO * saturated["chronyd"])
    steps = {p: [] for p in participants}
    climbing = list(participants)
    i = 0
    while climbing:
        order = climbing[i % len(climbing):] + climbing[:i % len(climbing)]
        for name, mode in order:
            if i >= len(grids[name]):
                climbing.remove((name, mode))
                continue
            step = bench.step(name, servers[name][1], grids[name][i], mode)
            steps[(name, mode)].append(step)
            if outcome(step, mode) == "fail":
                climbing.remove((name, mode))
        i += 1
    return steps


def describe_ladder(name, mode, run):
    """One line per ladder on stderr: each step's rate, % lost and % of named requests
    answered interleaved, to see where and why a ladder ended."""
    print("  %s %s: %s" % (name, mode, " ".join(
        "%d:%.1f%%lost/%.0f%%xl%s" % (s["rate"], s["lost_pct"], s["named_interleaved_pct"],
                                      "/short" if s["send_shortfall"] else "")
        for s in run["steps"])), file=sys.stderr)


def main():
    ap = argument_parser(__doc__)
    ap.add_argument("--quota", type=int, default=1000, help="CPU time per period, µs (>= 1000)")
    ap.add_argument("--period", type=int, default=3000, help="µs")
    ap.add_argument("--rounds", type=int, default=10)
    args = ap.parse_args()
    if os.geteuid() != 0:
        print("budget.py needs root (cgroups)", file=sys.stderr)
        return 1
    bench = BudgetBench(args)
    try:
        servers = bench.start_servers()
        # Warm-up (client records, stratad's TX calibration), then the floor's saturated rate
        # sets the offered rate for everyone.
        for name in SERVERS:
            bench.saturate(name, *servers[name], 20000)
        probe = bench.saturate("floor", *servers["floor"], 100000)
        offered = int(OVERLOAD * probe["reply_rate"])
        runs = {name: [] for name in SERVERS}
        for k in range(args.rounds):
            for i in range(len(SERVERS)):
                name = SERVERS[(i + k) % len(SERVERS)]
                print("saturated at %d/s: %s (round %d)" % (offered, name, k + 1), file=sys.stderr)
                runs[name].append(bench.saturate(name, *servers[name], offered))
        # The targets are stated for the basic maximum, the highest rate answered with
        # < 1 % lost, which the saturated rate is not (it moves with the overload offered).
        # Each round finds it with basic ladders for the floor, the floor stamping every
        # reply, chronyd and stratad, and interleaved ones for chronyd and stratad, all run
        # step by step together (paired_ladders), then interleaved clients at 0.8 x the
        # round's basic maximum for chronyd and stratad.
        ladders = {n: [] for n in ("floor", "floor-txts", "chronyd", "stratad")}
        saturated = {n: statistics.median(s["reply_rate"] for s in runs[n]) for n in SERVERS}
        for k in range(LADDER_ROUNDS):
            print("paired ladders (round %d)" % (k + 1), file=sys.stderr)
            rotated = LADDER_PARTICIPANTS[k:] + LADDER_PARTICIPANTS[:k]
            steps = paired_ladders(bench, servers, saturated, rotated)
            for (name, mode), run in steps.items():
                describe_ladder(name, mode, {"steps": run})
            for name in ladders:
                result = {"basic": ladder_max(steps[(name, "basic")], "basic")}
                if (name, "interleaved") in steps:
                    result["interleaved"] = ladder_max(steps[(name, "interleaved")], "interleaved")
                ladders[name].append(result)
            for name in ("chronyd", "stratad"):
                basic = ladders[name][-1]["basic"]
                ladders[name][-1]["at80"] = (bench.saturate(name, *servers[name], 0.8 * basic,
                                                            mode="interleaved") if basic else None)
    finally:
        bench.close()

    rates = {n: [s["reply_rate"] for s in runs[n]] for n in SERVERS}
    short = sum(1 for n in SERVERS for s in runs[n] if s["send_shortfall"])
    lines = [
        "| figure | %s |" % " | ".join(HEADINGS),
        "|---" * (len(HEADINGS) + 1) + "|",
        "| saturated reply rate, median of %d runs (replies/s) | %s |" % (
            args.rounds, " | ".join("%.0f" % statistics.median(rates[n]) for n in SERVERS)),
        "| server CPU used while saturated, median (share of one CPU) | %s |" % " | ".join(
            "%.3f" % statistics.median(s["cpu_share"] for s in runs[n]) for n in SERVERS),
        "| time held back by the budget, median (share of the run) | %s |" % " | ".join(
            "%.2f" % statistics.median(s["throttled_share"] for s in runs[n]) for n in SERVERS),
        "| stratad / this server, paired median of rounds (range) | %s | – |" % " | ".join(
            paired_ratio(rates["stratad"], rates[n], 3) for n in SERVERS[:-1]),
        "| the stamping floor / the floor + RX stamps, saturated, paired median (range) | %s |"
        % " | ".join(paired_ratio(rates["floor-txts"], rates["floor-rxts"], 3)
                     if n == "floor-txts" else "–" for n in SERVERS),
    ]

    def ladder_cell(name, key):
        return "%.0f (%s)" % (statistics.median(r[key] for r in ladders[name]),
                              ", ".join("%d" % r[key] for r in ladders[name]))

    def basic_max(name):
        return [r["basic"] for r in ladders[name]]

    def share_cell(name):
        return paired_ratio([r["interleaved"] for r in ladders[name]], [r["basic"] for r in ladders[name]])

    def at80_cell(name):
        steps = [r["at80"] for r in ladders[name] if r["at80"]]
        if not steps:
            return "n/a"
        return "%s %% lost; %s %% of named requests (%s %% of all replies) interleaved" % (
            " / ".join("%.2f" % s["lost_pct"] for s in steps),
            " / ".join("%.1f" % s["named_interleaved_pct"] for s in steps),
            " / ".join("%.1f" % s["interleaved_pct"] for s in steps))
    def row(label, cells):
        """A table row: `cells` maps a server's name to its cell, "–" for the others."""
        return "| %s | %s |" % (label, " | ".join(cells.get(n, "–") for n in SERVERS))

    stamped = basic_max("floor-txts")
    lines += [
        row("basic: highest offered rate with < 1 %% lost, median (each of %d ladders)" % LADDER_ROUNDS,
            {n: ladder_cell(n, "basic") for n in ladders}),
        row("stratad / this server, basic ladder maxima, paired median of rounds (range)",
            {n: paired_ratio(basic_max("stratad"), basic_max(n), 3) for n in ("floor", "chronyd")}),
        row("the floor stamping every reply: its basic maximum / the floor's, paired median "
            "of rounds (range): the kernel's ceiling for interleaved service",
            {"floor-txts": paired_ratio(stamped, basic_max("floor"), 3)}),
        row("interleaved: highest rate up to which every step had < 1 %% lost and >= %.0f %% of "
            "named requests answered interleaved, median (each)" % INTERLEAVED_SHARE,
            {n: ladder_cell(n, "interleaved") for n in ("chronyd", "stratad")}),
        row("interleaved max / basic max, paired median of rounds (range)",
            {n: share_cell(n) for n in ("chronyd", "stratad")}),
        row("interleaved max / the stamping floor's basic max, paired median of rounds (range)",
            {n: paired_ratio([r["interleaved"] for r in ladders[n]], stamped, 3)
             for n in ("chronyd", "stratad")}),
        row("interleaved clients at 0.8 x the round's basic max, %d runs" % LADDER_ROUNDS,
            {n: at80_cell(n) for n in ("chronyd", "stratad")}),
    ]
    table = "\n".join(lines)
    print(table)
    shortfall = " strataperf fell short of the offered rate in %d runs." % short if short else ""
    command = "bench/compare/budget.py --quota %d --period %d --rounds %d" % (
        args.quota, args.period, args.rounds)
    if args.results:
        replace_section(args.results, "budget", RESULTS_TEMPLATE.format(
            date=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), command=command, table=table,
            cpus=os.cpu_count(), kernel=os.uname().release, load=os.getloadavg()[0],
            share=args.quota / args.period, quota=args.quota, period=args.period,
            server_cpu=bench.server_cpu, load_cpus=bench.load_cpus, offered=offered,
            probe=probe["reply_rate"], overload=OVERLOAD, seconds=ROUND_SECONDS,
            short=shortfall, pause=args.period - args.quota, ladder_rounds=LADDER_ROUNDS,
            ladder_step=LADDER_STEP, ladder_seconds=LADDER_STEP_SECONDS, ladder_from=LADDER_FROM,
            ladder_to=LADDER_TO, interleaved_share=INTERLEAVED_SHARE))
    return 0


RESULTS_TEMPLATE = """## Highest reply rate under an equal CPU budget

Latest run: {date}, `{command}` on this machine ({cpus} CPUs, kernel {kernel}, load average
{load:.1f} at the end of the run). Each server (compare.py's five: the floor responder, the
floor with kernel RX timestamps, the floor with RX stamps that also takes a kernel TX stamp
of every reply and reads it back (`tx-timestamps`), chronyd `-x` without ratelimit, stratad
`workers 1`; and the floor with `no-fragment`; none with CAP_SYS_TIME) runs on CPU {server_cpu} in a cgroup limited
to {quota} µs of CPU every {period} µs ({share:.2f} of a core); strataperf runs on CPU {load_cpus}, 1000 clients. The
floor answered {probe:.0f} replies/s when offered 100000; every run offers {overload} x that,
{offered} req/s, for {seconds} s.{short}

{table}

How to read it: compare.py's ladders end where strataperf cannot send more, before the
servers' limits. Here each server gets the same third of a core, so strataperf outruns all
of them and the reply rate while saturated is each one's highest rate for that budget (its
queue never empties, so it answers in full batches as it would at its limit on a whole
core). "server CPU used" shows each used nearly its whole budget (the run's
time includes strataperf's start, when the server is idle). In each round every server runs
once, back to back, in an order that rotates; the ratio row is the median over the rounds of
stratad's rate / the other's in the same round, with the range. The issue's target,
stratad's highest reply rate >= 0.95 x the floor's, is the first ratio. stratad's sockets
forbid fragmenting replies (a defence against forged fragments), so IPv4 replies go out with
IP ID 0 and the kernel skips its shared IP ID generator; "floor, no-fragment" is the floor
with that option too, the floor for a server that asks the kernel for that little.
strataperf counts only the replies received while it sends (`--grace 0`): what a saturated server answers after that
measures its receive buffer (4 MiB for the floor and stratad, the kernel's default for
chronyd), not its speed.

The last rows use ladders in the same budget. The issue states its targets for the
basic-mode maximum, the highest rate answered with < 1 % lost: stratad's against the
floor's, and interleaved clients still served interleaved at 0.8 x it. The saturated
rate above is another figure, and it moves with how far the server is overloaded: a server
offered more than it can answer always finds a full batch waiting, while one that keeps
up empties its socket, sleeps, and serves the next requests in smaller batches, at a
higher cost per reply (and in a budget that pauses it for {pause} µs of every {period}, the requests that come meanwhile wait that long). So
each of {ladder_rounds} rounds runs, for the floor, the stamping floor, chronyd and stratad, a basic ladder
(x {ladder_step} per {ladder_seconds} s step, replies counted up to 0.2 s after their
step), and for chronyd and stratad an interleaved one. The ladders run together, step by
step: at each step every ladder still climbing runs once, back to back with the others, in
an order that rotates, so the ladders set against each other in a ratio met the same phases
of the machine (run one after the other, ladders 40 s apart gave ratios that moved by a
third between rounds). The floor, the stamping floor and stratad share one grid of rates,
from {ladder_from} x the lowest to {ladder_to} x the highest of their saturated rates;
chronyd has its own, over the same span of its saturated rate. A ladder stops at its first
step that failed; a step where strataperf could not send at the asked rate measured this
host, not the server, and counts for nothing (the ladder goes on). A basic ladder's maximum is the highest step up to which every step lost
< 1 %; an interleaved ladder's, the highest up to which every step lost < 1 % and
answered >= {interleaved_share:.0f} % of the requests that named an earlier reply
interleaved (strataperf's `named_interleaved_pct`: each client's first request names none
and gets a basic reply from every server, which held the first step of a ladder near 93 %
of all replies). After each round's ladders, chronyd and stratad serve interleaved clients
at 0.8 x that round's basic maximum for {seconds} s. A maximum of 0 is a ladder whose first
step already failed. The stamping floor's basic maximum is what the kernel leaves for a
server that stamps every reply as an interleaved server must (a TX stamp costs the kernel a
report it builds, queues and hands back, per packet): no server reading its stamps from the
error queue serves interleaved clients faster, and its ratio to the floor's maximum is the
share of the kernel's basic-mode capacity left for interleaved service.
"""

if __name__ == "__main__":
    sys.exit(main())
