"""A CPU budget for the processes of a benchmark: a cgroup whose CFS bandwidth limit lets its
processes run `quota_us` of every `period_us` (cgroup v1's cpu controller, or cgroup v2's
cpu.max). A server given less than a core saturates at a rate the load generator can outrun
on the other CPU, so its highest reply rate becomes measurable on a 2-CPU machine.

Needs root. `close()` removes the cgroup (its processes must have ended)."""

import os

BENCH_PREFIX = "strata-bench-"


def _mounts():
    with open("/proc/mounts") as f:
        for line in f:
            fields = line.split()
            if len(fields) >= 4:
                yield fields[1], fields[2], fields[3].split(",")


def _cpu_hierarchy():
    """(mount point, version) of a cgroup hierarchy with the cpu controller, or None."""
    for point, fstype, options in _mounts():
        if fstype == "cgroup" and "cpu" in options:
            return point, 1
    for point, fstype, _ in _mounts():
        if fstype != "cgroup2":
            continue
        try:
            with open(os.path.join(point, "cgroup.controllers")) as f:
                if "cpu" in f.read().split():
                    return point, 2
        except OSError:
            continue
    return None


class CpuBudget:
    def __init__(self, name, quota_us, period_us):
        found = _cpu_hierarchy()
        if found is None:
            raise RuntimeError("no cgroup hierarchy with the cpu controller is mounted")
        root, self.version = found
        self.path = os.path.join(root, BENCH_PREFIX + "%s-%d" % (name, os.getpid()))
        if self.version == 2:
            with open(os.path.join(root, "cgroup.subtree_control")) as f:
                enabled = "cpu" in f.read().split()
            if not enabled:
                with open(os.path.join(root, "cgroup.subtree_control"), "w") as f:
                    f.write("+cpu")
        os.mkdir(self.path)
        try:
            if self.version == 1:
                self._write("cpu.cfs_period_us", period_us)
                self._write("cpu.cfs_quota_us", quota_us)
            else:
                self._write("cpu.max", "%d %d" % (quota_us, period_us))
        except OSError:
            os.rmdir(self.path)
            raise

    def _write(self, name, value):
        with open(os.path.join(self.path, name), "w") as f:
            f.write(str(value))

    def launcher(self):
        """argv prefix that moves the command into the cgroup (with all threads it starts
        later) before it executes."""
        return ["sh", "-c", 'echo $$ > "$0/cgroup.procs" && exec "$@"', self.path]

    def add_thread(self, tid):
        """Moves one thread (not its whole process) into the cgroup: cgroup v1 only (v2 would
        need a threaded subtree)."""
        if self.version != 1:
            raise RuntimeError("per-thread CPU budgets need cgroup v1's cpu controller")
        self._write("tasks", tid)

    def throttled_s(self):
        """Seconds the cgroup's processes have been held back by the limit so far."""
        with open(os.path.join(self.path, "cpu.stat")) as f:
            stat = dict(line.split() for line in f if line.strip())
        if "throttled_time" in stat:  # v1: ns
            return int(stat["throttled_time"]) / 1e9
        return int(stat.get("throttled_usec", 0)) / 1e6

    def close(self):
        try:
            os.rmdir(self.path)
        except FileNotFoundError:
            pass
