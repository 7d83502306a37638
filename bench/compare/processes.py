"""What the benchmark scripts share for the processes they start: a free loopback UDP port,
the prefix that drops CAP_SYS_TIME, and stopping everything at the end (also on errors)."""

import signal
import socket
import subprocess

NO_SYS_TIME = ["setpriv", "--bounding-set", "-sys_time", "--"]


def free_port():
    """A UDP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop_all(procs, timeout=5):
    """SIGTERM to every process still running, SIGKILL to any that outlives `timeout` s."""
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                p.kill()
