"""stratad's privilege drop (-u USER and the `user` directive), with a dedicated system user
this test creates (useradd --system) and removes again.

What is proved, from the outside:
  - every thread of the running daemon has the user's uid and gid in all four slots (real,
    effective, saved, file system), only the user's group, and exactly one capability
    (CAP_NET_BIND_SERVICE; CAP_SYS_TIME would be kept without -x), nothing inheritable or
    ambient;
  - it still serves NTP (stratactl query);
  - after the switch it acts with the user's file permissions, shown by what the daemon
    itself does at exit: it removes its pid file from a directory the user owns, and cannot
    remove it from a directory only root may write (the file it created there as root
    stays). The same credentials, copied from /proc with setpriv, cannot create files in
    root's directories either;
  - without CAP_SETUID/CAP_SETGID (why stratad.service keeps them) and for an unknown user,
    stratad refuses to start, with a clear message.

stratad always runs with -x and without CAP_SYS_TIME.
"""

import grp
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

from harness import (CAP_SYS_TIME, NO_SYS_TIME, STRATACTL, STRATAD, StrataTestCase, free_udp_port)

CAP_NET_BIND_SERVICE = 10


def proc_status(path):
    fields = {}
    with open(path) as f:
        for line in f:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    return fields


class PrivilegeDropTest(StrataTestCase):

    @classmethod
    def setUpClass(cls):
        if os.geteuid() != 0:
            raise unittest.SkipTest("needs root (useradd, and stratad starting as root)")
        if not shutil.which("useradd") or not shutil.which("userdel"):
            raise unittest.SkipTest("useradd/userdel not installed")
        cls.user = "strata-it-%d" % os.getpid()
        r = subprocess.run(["useradd", "--system", "--user-group", "--no-create-home",
                            "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", cls.user],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if r.returncode != 0:
            raise unittest.SkipTest("useradd failed: " + r.stdout.decode())
        cls.addClassCleanup(cls._remove_user)
        pw = pwd.getpwnam(cls.user)
        cls.uid, cls.gid = pw.pw_uid, pw.pw_gid
        # Directories every user can reach: one owned by the test user, one only root may
        # write to. (The harness's own temporary directory is root's 0700.)
        cls.base = tempfile.mkdtemp(prefix="strata-it-priv-")
        cls.addClassCleanup(shutil.rmtree, cls.base, True)
        os.chmod(cls.base, 0o755)
        cls.own_dir = os.path.join(cls.base, "own")
        cls.root_dir = os.path.join(cls.base, "root-only")
        os.mkdir(cls.own_dir, 0o755)
        os.chown(cls.own_dir, cls.uid, cls.gid)
        os.mkdir(cls.root_dir, 0o755)

    @classmethod
    def _remove_user(cls):
        subprocess.run(["userdel", cls.user], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # userdel removes the user's private group with USERGROUPS_ENAB (Debian's default);
        # make sure nothing is left if it did not.
        try:
            grp.getgrnam(cls.user)
            subprocess.run(["groupdel", cls.user], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except KeyError:
            pass

    def setUp(self):
        super().setUp()
        if not os.path.exists(STRATAD):
            self.skipTest("stratad not built")
        self.port = free_udp_port()

    def config(self, pidfile=None, extra=""):
        return "\n".join(["port %d" % self.port, "bindaddress 127.0.0.1", "allow 127.0.0.0/8",
                          "local stratum 10", "pidfile %s" % pidfile if pidfile else "", extra, ""])

    def assert_credentials_dropped(self, pid):
        tasks = os.listdir("/proc/%d/task" % pid)
        self.assertGreater(len(tasks), 1, "the serving workers are threads")
        for tid in tasks:
            s = proc_status("/proc/%d/task/%s/status" % (pid, tid))
            where = "thread %s" % tid
            self.assertEqual(s["Uid"].split(), [str(self.uid)] * 4, where)
            self.assertEqual(s["Gid"].split(), [str(self.gid)] * 4, where)
            self.assertEqual(s["Groups"].split(), [str(self.gid)], where)
            self.assertEqual(int(s["CapEff"], 16), 1 << CAP_NET_BIND_SERVICE, where)
            self.assertEqual(int(s["CapPrm"], 16), 1 << CAP_NET_BIND_SERVICE, where)
            self.assertEqual(int(s["CapInh"], 16), 0, where)
            self.assertEqual(int(s["CapAmb"], 16), 0, where)
            self.assertFalse(int(s["CapBnd"], 16) & (1 << CAP_SYS_TIME), where)

    def test_runs_as_the_user_with_one_capability_and_still_serves(self):
        pidfile = os.path.join(self.own_dir, "stratad.pid")
        p = self.start_stratad(self.config(pidfile), args=["-u", self.user], wait_port=self.port)
        self.assert_credentials_dropped(p.pid)
        self.assertIn("running as user " + self.user, p.output())
        if os.path.exists(STRATACTL):
            rc, out, err = self.run_tool([STRATACTL, "query", "127.0.0.1:%d" % self.port])
            self.assertEqual(rc, 0, out + err)
            self.assertIn("Stratum         : 10", out)
        self.assertEqual(p.stop(signal.SIGTERM), 0, p.output())
        # Its own directory: the user may remove the pid file root created there.
        self.assertFalse(os.path.exists(pidfile))

    def test_after_the_switch_it_cannot_write_where_only_root_may(self):
        # The `user` directive this time. The pid file is created before the switch, as
        # root, in a directory only root may write to; at exit the daemon, now the user,
        # tries to remove it and is refused (EACCES), so it stays.
        pidfile = os.path.join(self.root_dir, "stratad.pid")
        p = self.start_stratad(self.config(pidfile, "user %s" % self.user), wait_port=self.port)
        self.assert_credentials_dropped(p.pid)
        with open(pidfile) as f:
            self.assertEqual(int(f.read()), p.pid)
        self.assertEqual(os.stat(pidfile).st_uid, 0, "created before the switch, as root")

        # The daemon's credentials (checked above) applied to a shell: the user's uid and
        # gid, no other group, CAP_NET_BIND_SERVICE as the only effective capability (made
        # ambient so that it survives the exec). Writes to root's directories fail, to the
        # user's own succeed.
        probe = ["setpriv", "--reuid", str(self.uid), "--regid", str(self.gid), "--clear-groups",
                 "--inh-caps", "-all,+net_bind_service", "--ambient-caps", "-all,+net_bind_service",
                 "--", "sh", "-c",
                 'for d in "$@"; do if (: > "$d/probe") 2>/dev/null; then echo "$d: written";'
                 ' rm -f "$d/probe"; else echo "$d: refused"; fi; done', "sh",
                 self.root_dir, "/etc", "/var/lib", self.own_dir]
        rc, out, err = self.run_tool(probe, check=True)
        self.assertEqual(out.split("\n")[:4], [self.root_dir + ": refused", "/etc: refused",
                                              "/var/lib: refused", self.own_dir + ": written"],
                         out + err)

        self.assertEqual(p.stop(signal.SIGTERM), 0, p.output())
        self.assertTrue(os.path.exists(pidfile), "the user must not be able to unlink it")

        # Control: the same configuration without the user removes its pid file at exit.
        os.unlink(pidfile)
        q = self.start_stratad(self.config(pidfile), name="stratad-root", wait_port=self.port)
        self.assertTrue(os.path.exists(pidfile))
        self.assertEqual(q.stop(signal.SIGTERM), 0, q.output())
        self.assertFalse(os.path.exists(pidfile))

    def test_without_setuid_capability_it_refuses_to_start(self):
        # What stratad.service's CAP_SETUID/CAP_SETGID are for.
        conf = self.write("stratad.conf", self.config())
        rc, out, err = self.run_tool(
            ["setpriv", "--bounding-set", "-all,+net_bind_service", "--", STRATAD, "-x", "-d",
             "-f", conf, "-u", self.user], timeout=20)
        self.assertEqual(rc, 1, out + err)
        self.assertIn("cannot switch user: setgroups: Operation not permitted", out + err)

    def test_unknown_user_is_a_clear_error(self):
        conf = self.write("stratad.conf", self.config())
        rc, out, err = self.run_tool(NO_SYS_TIME + [STRATAD, "-x", "-d", "-f", conf, "-u",
                                                   "no-such-user-strata"], timeout=20)
        self.assertEqual(rc, 1, out + err)
        self.assertIn('unknown user "no-such-user-strata"', out + err)


if __name__ == "__main__":
    unittest.main()
