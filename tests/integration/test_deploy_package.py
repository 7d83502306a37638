"""The Debian package: `cpack -G DEB` in the build tree, then dpkg installing it into a
scratch root (dpkg --root, maintainer scripts run chroot-less with DPKG_ROOT set).

Nothing is installed on this machine and no service is started or touched: the package
goes into a temporary directory with its own dpkg database and /etc/passwd; systemctl,
deb-systemd-helper, deb-systemd-invoke and invoke-rc.d are replaced on PATH by recorders
that must stay silent; the machine's /etc/passwd, /etc/group and dpkg status are compared
before and after.

Checked: control fields (time-daemon, dependencies covering every library the programs
link), contents and conffiles, the maintainer scripts (the _strata user, the state and log
directories, remove and purge), the installed stratad parsing the installed configuration
(also with every commented example enabled, and the Kubernetes example's), the installed
unit under systemd-analyze verify with the installed man pages, and the examples' paths.

Building the package takes about 10 s here (printed); the whole file about 15 s.
"""

import glob
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
import time
import unittest

from harness import BUILD_DIR, NO_SYS_TIME, StrataTestCase

SOURCE_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEPLOY = os.path.join(SOURCE_DIR, "deploy")
SERVICE_TOOLS = ("systemctl", "deb-systemd-helper", "deb-systemd-invoke", "invoke-rc.d")
HOST_FILES = ("/etc/passwd", "/etc/group", "/var/lib/dpkg/status")

PACKAGE = {}  # filled by setUpModule: deb, tmp, build_seconds, version, arch


def project_version():
    with open(os.path.join(SOURCE_DIR, "CMakeLists.txt")) as f:
        return re.search(r"project\(strata VERSION ([0-9.]+)", f.read()).group(1)


def host_digest():
    digest = {}
    for path in HOST_FILES:
        with open(path, "rb") as f:
            digest[path] = hashlib.sha256(f.read()).hexdigest()
    return digest


def setUpModule():
    for tool in ("cpack", "dpkg", "dpkg-deb", "dpkg-shlibdeps", "file"):
        if not shutil.which(tool):
            raise unittest.SkipTest("%s not installed (cpack: cmake; dpkg-shlibdeps: dpkg-dev)" % tool)
    config = os.path.join(BUILD_DIR, "CPackConfig.cmake")
    if not os.path.exists(config):
        raise unittest.SkipTest("no CPackConfig.cmake in the build tree")
    tmp = tempfile.mkdtemp(prefix="strata-it-deb-")
    PACKAGE["tmp"] = tmp
    start = time.monotonic()
    r = subprocess.run(["cpack", "--config", config, "-G", "DEB", "-B", os.path.join(tmp, "out")],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600, cwd=BUILD_DIR)
    PACKAGE["build_seconds"] = time.monotonic() - start
    if r.returncode != 0:
        raise RuntimeError("cpack failed:\n" + r.stdout.decode(errors="replace"))
    debs = glob.glob(os.path.join(tmp, "out", "strata_*.deb"))
    if len(debs) != 1:
        raise RuntimeError("expected one strata_*.deb, found %s" % debs)
    PACKAGE["deb"] = debs[0]
    PACKAGE["version"] = project_version()
    PACKAGE["arch"] = subprocess.run(["dpkg", "--print-architecture"], stdout=subprocess.PIPE,
                                     check=True).stdout.decode().strip()
    print("\ncpack -G DEB took %.1f s: %s (%d bytes)" % (PACKAGE["build_seconds"], debs[0],
                                                         os.path.getsize(debs[0])))


def tearDownModule():
    if "tmp" in PACKAGE:
        shutil.rmtree(PACKAGE["tmp"], ignore_errors=True)


class ScratchRoot:
    """A directory dpkg can install into: an empty package database and the account files
    a base system has. Service tools on PATH are recorders."""

    def __init__(self, parent):
        self.root = os.path.join(parent, "root")
        for d in ("var/lib/dpkg/info", "var/lib/dpkg/updates", "var/lib/dpkg/triggers", "etc"):
            os.makedirs(os.path.join(self.root, d))
        open(os.path.join(self.root, "var/lib/dpkg/status"), "w").close()
        for name, text, mode in (("passwd", "root:x:0:0:root:/root:/bin/sh\n", 0o644),
                                 ("group", "root:x:0:\n", 0o644),
                                 ("shadow", "root:*:19000:0:99999:7:::\n", 0o640),
                                 ("gshadow", "root:*::\n", 0o640)):
            path = os.path.join(self.root, "etc", name)
            with open(path, "w") as f:
                f.write(text)
            os.chmod(path, mode)
        self.fake_bin = os.path.join(parent, "fake-bin")
        self.calls = os.path.join(parent, "service-calls")
        os.makedirs(self.fake_bin)
        for tool in SERVICE_TOOLS:
            path = os.path.join(self.fake_bin, tool)
            with open(path, "w") as f:
                f.write('#!/bin/sh\necho "%s $*" >> "%s"\n' % (tool, self.calls))
            os.chmod(path, 0o755)

    def dpkg(self, *args):
        env = dict(os.environ, PATH=self.fake_bin + ":" + os.environ.get("PATH", "/usr/bin:/bin"))
        r = subprocess.run(["dpkg", "--root=" + self.root, "--log=" + os.path.join(self.root, "dpkg.log"),
                            "--force-script-chrootless", "--force-depends"] + list(args),
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, timeout=120)
        return r.returncode, r.stdout.decode(errors="replace")

    def path(self, relative):
        return os.path.join(self.root, relative.lstrip("/"))

    def service_calls(self):
        if not os.path.exists(self.calls):
            return []
        with open(self.calls) as f:
            return f.read().splitlines()

    def account(self, name, file="passwd"):
        with open(self.path("/etc/" + file)) as f:
            for line in f:
                fields = line.rstrip("\n").split(":")
                if fields[0] == name:
                    return fields
        return None


class PackageTest(StrataTestCase):

    def field(self, name):
        r = subprocess.run(["dpkg-deb", "-f", PACKAGE["deb"], name], stdout=subprocess.PIPE, check=True)
        return r.stdout.decode().strip()

    def test_file_name_and_control_fields(self):
        self.assertEqual(os.path.basename(PACKAGE["deb"]),
                         "strata_%s_%s.deb" % (PACKAGE["version"], PACKAGE["arch"]))
        self.assertEqual(self.field("Package"), "strata")
        self.assertEqual(self.field("Version"), PACKAGE["version"])
        for name in ("Provides", "Conflicts", "Replaces"):
            self.assertEqual(self.field(name), "time-daemon", name)
        self.assertIn("init-system-helpers", self.field("Pre-Depends"))
        depends = [d.strip().split()[0] for d in self.field("Depends").split(",")]
        self.assertIn("passwd", depends)
        self.assertIn("procps", depends)
        self.assertTrue(self.field("Maintainer"))
        self.assertIn("NTP", self.field("Description"))

    def test_depends_cover_every_library_the_programs_link(self):
        if not shutil.which("ldd"):
            self.skipTest("ldd not installed")
        extracted = self.path("x")
        subprocess.run(["dpkg-deb", "-x", PACKAGE["deb"], extracted], check=True)
        depends = {d.strip().split()[0] for d in self.field("Depends").split(",")}
        programs = glob.glob(os.path.join(extracted, "usr/sbin/*")) + glob.glob(os.path.join(extracted, "usr/bin/*"))
        self.assertIn(os.path.join(extracted, "usr/sbin/stratad"), programs)
        for program in programs:
            out = subprocess.run(["ldd", program], stdout=subprocess.PIPE, check=True).stdout.decode()
            self.assertNotIn("not found", out, program)
            for m in re.finditer(r"=> (/\S+)", out):
                library = m.group(1)
                candidates = {library, os.path.realpath(library)}
                candidates |= {c[len("/usr"):] for c in list(candidates) if c.startswith("/usr/")}
                candidates |= {"/usr" + c for c in list(candidates) if not c.startswith("/usr/")}
                owner = None
                for c in candidates:
                    r = subprocess.run(["dpkg", "-S", c], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
                    if r.returncode == 0:
                        owner = r.stdout.decode().split(":")[0]
                        break
                self.assertIsNotNone(owner, "no package owns %s" % library)
                # Directly, or through a virtual package the owner provides (shlibs files
                # may name one, e.g. libspdlog1.10-fmt9).
                provides = subprocess.run(["dpkg-query", "-W", "-f=${Provides}", owner],
                                          stdout=subprocess.PIPE).stdout.decode()
                names = {owner} | {p.strip().split()[0] for p in provides.split(",") if p.strip()}
                self.assertTrue(names & depends, "%s links %s (%s), not in Depends" %
                                (os.path.basename(program), library, owner))

    def test_contents_conffiles_and_maintainer_scripts(self):
        listing = subprocess.run(["dpkg-deb", "-c", PACKAGE["deb"]], stdout=subprocess.PIPE,
                                 check=True).stdout.decode()
        entries = {}
        for line in listing.splitlines():
            parts = line.split()
            entries[parts[-1].lstrip(".")] = (parts[0], parts[1])
        expected = {
            "/usr/sbin/stratad": "-rwxr-xr-x", "/usr/bin/stratactl": "-rwxr-xr-x",
            "/etc/strata/strata.conf": "-rw-r--r--", "/lib/systemd/system/stratad.service": "-rw-r--r--",
            "/etc/logrotate.d/strata": "-rw-r--r--", "/usr/lib/systemd/ntp-units.d/50-strata.list": "-rw-r--r--",
            "/usr/share/man/man8/stratad.8.gz": "-rw-r--r--", "/usr/share/man/man1/stratactl.1.gz": "-rw-r--r--",
            "/usr/share/man/man1/strataperf.1.gz": "-rw-r--r--", "/usr/share/man/man5/strata.conf.5.gz": "-rw-r--r--",
            "/usr/share/doc/strata/OPERATOR_GUIDE.md": "-rw-r--r--",
            "/usr/share/doc/strata/examples/nftables.conf": "-rw-r--r--",
        }
        if os.path.exists(os.path.join(BUILD_DIR, "tools", "strataperf", "strataperf")):
            expected["/usr/bin/strataperf"] = "-rwxr-xr-x"
        for path, mode in expected.items():
            self.assertIn(path, entries)
            self.assertEqual(entries[path], (mode, "root/root"), path)

        control = self.path("control")
        subprocess.run(["dpkg-deb", "-e", PACKAGE["deb"], control], check=True)
        with open(os.path.join(control, "conffiles")) as f:
            self.assertEqual(sorted(f.read().split()), ["/etc/logrotate.d/strata", "/etc/strata/strata.conf"])
        for script in ("postinst", "prerm", "postrm"):
            path = os.path.join(control, script)
            self.assertTrue(os.access(path, os.X_OK), script)
            self.assertEqual(subprocess.run(["sh", "-n", path]).returncode, 0, script)


class InstalledPackageTest(StrataTestCase):
    """The package installed into a scratch root, once for the class."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="strata-it-root-")
        cls.addClassCleanup(shutil.rmtree, cls.dir, True)
        cls.host_before = host_digest()
        cls.scratch = ScratchRoot(cls.dir)
        cls.install_rc, cls.install_log = cls.scratch.dpkg("-i", PACKAGE["deb"])

    def setUp(self):
        super().setUp()
        self.assertEqual(self.install_rc, 0, self.install_log)
        self.root = self.scratch

    def stratad(self):
        return self.root.path("/usr/sbin/stratad")

    def test_the_machine_was_not_touched_and_no_service_was_asked(self):
        self.assertEqual(host_digest(), self.host_before)
        self.assertEqual(self.root.service_calls(), [])
        self.assertIn("Setting up strata", self.install_log)

    def test_maintainer_scripts_created_the_user_and_its_directories(self):
        user = self.root.account("_strata")
        self.assertIsNotNone(user, "no _strata in the scratch root's /etc/passwd")
        uid, gid, home, shell = int(user[2]), int(user[3]), user[5], user[6]
        self.assertLess(uid, 1000, "a system user")
        self.assertEqual((home, shell), ("/var/lib/strata", "/usr/sbin/nologin"))
        group = self.root.account("_strata", "group")
        self.assertIsNotNone(group)
        self.assertEqual(int(group[2]), gid)
        for path, mode in (("/var/lib/strata", 0o755), ("/var/log/strata", 0o750)):
            st = os.stat(self.root.path(path))
            self.assertEqual((st.st_uid, st.st_gid), (uid, gid), path)
            self.assertEqual(st.st_mode & 0o7777, mode, path)

    def test_installed_files_are_the_sources(self):
        for installed, source in (("/lib/systemd/system/stratad.service", "systemd/stratad.service"),
                                  ("/etc/strata/strata.conf", "config/strata.conf"),
                                  ("/etc/logrotate.d/strata", "logrotate/strata")):
            with open(self.root.path(installed), "rb") as a, open(os.path.join(DEPLOY, source), "rb") as b:
                self.assertEqual(a.read(), b.read(), installed)

    def print_config(self, conf):
        return self.run_tool(NO_SYS_TIME + [self.stratad(), "-p", "-f", conf], timeout=30)

    def test_installed_stratad_parses_the_installed_configuration(self):
        rc, out, err = self.print_config(self.root.path("/etc/strata/strata.conf"))
        self.assertEqual(rc, 0, err)
        for line in ("pool pool.ntp.org", "driftfile /var/lib/strata/drift", "makestep 1 3", "rtcsync",
                     "logdir /var/log/strata"):
            self.assertRegex(out, r"(?m)^%s\b" % re.escape(line))
        for line in err.splitlines():
            self.assertRegex(line, r"strata\.conf:\d+: \w+ is parsed but not active yet",
                             "only not-yet-active directives may warn")

        # Every commented example in the file is valid too, once enabled.
        with open(self.root.path("/etc/strata/strata.conf")) as f:
            enabled = re.sub(r"(?m)^#([a-z])", r"\1", f.read())
        self.assertGreaterEqual(enabled.count("\n") - enabled.count("\n#"), 12)
        rc, out, err = self.print_config(self.write("enabled.conf", enabled))
        self.assertEqual(rc, 0, err)
        for line in ("hwtimestamp *", "allow 192.168.0.0/16", "local stratum 10", "minsources 2",
                     "keyfile /etc/strata/strata.keys", "refclock PHC /dev/ptp0"):
            self.assertIn(line, out)

    def test_installed_unit_verifies_with_the_installed_man_pages(self):
        analyze = shutil.which("systemd-analyze")
        if not analyze:
            self.skipTest("systemd-analyze not installed (Debian package systemd); nothing installed")
        with open(self.root.path("/lib/systemd/system/stratad.service")) as f:
            unit = self.write("stratad.service", f.read().replace("/usr/sbin/stratad", self.stratad()))
        env = dict(os.environ, MANPATH=self.root.path("/usr/share/man"), SYSTEMD_LOG_LEVEL="notice")
        r = subprocess.run([analyze, "verify", unit], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           env=env, timeout=60)
        self.assertEqual((r.returncode, r.stdout.decode().strip()), (0, ""))

    def test_installed_man_pages_render(self):
        if not shutil.which("man"):
            self.skipTest("man (man-db) not installed")
        pages = glob.glob(self.root.path("/usr/share/man/man*/*.gz"))
        self.assertEqual(len(pages), 4)
        for page in pages:
            r = subprocess.run(["man", "-l", page], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=dict(os.environ, LC_ALL="C", MANWIDTH="80"), timeout=60)
            self.assertEqual((r.returncode, r.stderr.decode().strip()), (0, ""), page)
            self.assertIn("NAME", r.stdout.decode())

    def test_examples_refer_to_what_the_package_installs(self):
        with open(self.root.path("/usr/share/doc/strata/examples/Containerfile")) as f:
            containerfile = f.read()
        entrypoint = re.search(r"(?m)^ENTRYPOINT \[(.*)\]$", containerfile).group(1)
        for path in re.findall(r'"(/[^"]+)"', entrypoint):
            self.assertTrue(os.path.exists(self.root.path(path)), path)

        try:
            import yaml
        except ImportError:
            self.skipTest("PyYAML not available: the DaemonSet example is reviewed only")
        with open(self.root.path("/usr/share/doc/strata/examples/stratad-daemonset.yaml")) as f:
            docs = list(yaml.safe_load_all(f))
        kinds = {d["kind"]: d for d in docs}
        self.assertEqual(set(kinds), {"Namespace", "ConfigMap", "DaemonSet"})
        pod = kinds["DaemonSet"]["spec"]["template"]["spec"]
        self.assertIs(pod["hostNetwork"], True)
        container = pod["containers"][0]
        caps = container["securityContext"]["capabilities"]
        self.assertEqual(caps["drop"], ["ALL"])
        self.assertIn("SYS_TIME", caps["add"])
        self.assertNotIn("privileged", container["securityContext"])
        for path in container["command"] + [p["exec"]["command"][0] for p in
                                             (container["readinessProbe"], container["livenessProbe"])]:
            self.assertTrue(os.path.exists(self.root.path(path)), path)
        args = container["args"]
        self.assertEqual(args[args.index("-f") + 1], "/etc/strata/strata.conf")
        mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
        self.assertEqual(mounts["config"], "/etc/strata")
        # The example's configuration is valid.
        rc, out, err = self.print_config(self.write("k8s.conf", kinds["ConfigMap"]["data"]["strata.conf"]))
        self.assertEqual(rc, 0, err)
        self.assertIn("allow 10.0.0.0/8", out)


class RemovePurgeTest(StrataTestCase):

    def test_remove_keeps_configuration_purge_removes_state(self):
        root = ScratchRoot(self.tmp)
        before = host_digest()
        rc, out = root.dpkg("-i", PACKAGE["deb"])
        self.assertEqual(rc, 0, out)
        with open(root.path("/var/lib/strata/drift"), "w") as f:
            f.write("1.0 0.1\n")  # as the daemon would leave it

        rc, out = root.dpkg("--remove", "strata")
        self.assertEqual(rc, 0, out)
        self.assertFalse(os.path.exists(root.path("/usr/sbin/stratad")))
        self.assertTrue(os.path.exists(root.path("/etc/strata/strata.conf")), "remove keeps conffiles")
        self.assertTrue(os.path.exists(root.path("/var/lib/strata/drift")))

        rc, out = root.dpkg("--purge", "strata")
        self.assertEqual(rc, 0, out)
        for path in ("/etc/strata", "/var/lib/strata", "/var/log/strata"):
            self.assertFalse(os.path.exists(root.path(path)), path)
        self.assertIsNotNone(root.account("_strata"), "system users stay")
        self.assertEqual(root.service_calls(), [])
        self.assertEqual(host_digest(), before)


if __name__ == "__main__":
    unittest.main()
