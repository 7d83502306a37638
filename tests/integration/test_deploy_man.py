"""Man pages: the generator (deploy/man/mangen.py) and the pages it built
(build/deploy/man/manN/*.gz, target strata_man_pages).

  - the generator escapes what troff would otherwise take as requests or escapes, keeps
    hyphens as typed, and rejects malformed sources with the line;
  - every page renders with `man -l` and with groff's warnings on, and man-db's lexgrog
    finds its NAME line (what apropos/whatis index);
  - every option and command a program lists in its --help is documented in its page.
"""

import gzip
import os
import re
import shutil
import subprocess
import sys
import unittest

from harness import BUILD_DIR, STRATACTL, STRATAD, STRATAPERF, StrataTestCase

SOURCE_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MANGEN = os.path.join(SOURCE_DIR, "deploy", "man", "mangen.py")
MAN_DIR = os.path.join(BUILD_DIR, "deploy", "man")
PAGES = {"stratad.8": STRATAD, "stratactl.1": STRATACTL, "strataperf.1": STRATAPERF,
         "strata.conf.5": None}


def render(path):
    """The page as plain text, the way `man` shows it (ASCII, 100 columns)."""
    env = dict(os.environ, LC_ALL="C", MANWIDTH="100", MAN_KEEP_FORMATTING="")
    r = subprocess.run(["man", "-l", path], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                       timeout=60)
    return r.returncode, r.stdout.decode(errors="replace"), r.stderr.decode(errors="replace")


def help_words(text):
    """Options and command names a --help lists: the first column of lines indented by two to
    four spaces (deeper lines continue a description)."""
    words = set()
    for line in text.splitlines():
        m = re.match(r"^ {2,4}(\S.*?)(?: {2,}|$)", line)
        if not m:
            continue
        for token in re.split(r"[\s,\[\]]+", m.group(1)):
            if re.fullmatch(r"--?[A-Za-z0-9][\w-]*|[a-z][a-z-]*", token) and token != "arg":
                words.add(token)
    return words


class ManGeneratorTest(StrataTestCase):

    def generate(self, source):
        src = self.write("page.1.txt", source)
        out = self.path("page.1")
        r = subprocess.run([sys.executable, MANGEN, "--version", "9.9.9", src, out],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
        return r.returncode, out, r.stderr.decode()

    def require_man(self):
        if not shutil.which("man"):
            self.skipTest("man (man-db) not installed")

    def test_troff_specials_come_out_as_typed(self):
        self.require_man()
        rc, page, err = self.generate("\n".join([
            "demo(1) -- a page with awkward text",
            "# Description",
            ".starts with a dot and 'quote",
            "'starts with a quote",
            r"a back\slash, a \fB font escape and --double-dash -x",
            r"**bold** *italic* `literal-word` \*star\* and \`tick\`",
            ": **--option** *VALUE*",
            "  described here, version @VERSION@",
            "```",
            ".nf inside a block",
            r"  indented \n block",
            "```",
            "",
        ]))
        self.assertEqual(rc, 0, err)
        rc, text, err = render(page)
        self.assertEqual(rc, 0, err)
        flowing = " ".join(text.split())  # troff fills paragraphs: compare words
        for expected in [".starts with a dot and 'quote", "'starts with a quote",
                         r"a back\slash, a \fB font escape and --double-dash -x",
                         "bold italic literal-word *star* and `tick`", "--option VALUE",
                         "described here, version 9.9.9", "DEMO(1)",
                         "demo - a page with awkward text"]:
            self.assertIn(expected, flowing)
        # The literal block keeps its lines and their relative indentation.
        m = re.search(r"(?m)^( *)\.nf inside a block\n( *)indented \\n block$", text)
        self.assertIsNotNone(m, text)
        self.assertEqual(len(m.group(2)) - len(m.group(1)), 2)

    def test_malformed_sources_are_rejected_with_the_line(self):
        rc, _, err = self.generate("no title line\n")
        self.assertEqual(rc, 1)
        self.assertIn("line 1", err)
        rc, _, err = self.generate("demo(1) -- x\n# Example\n```\nnever closed\n")
        self.assertEqual(rc, 1)
        self.assertIn("line 3: literal block is not closed", err)

    def test_gzip_output_is_reproducible(self):
        src = self.write("page.1.txt", "demo(1) -- x\n# Description\ntext\n")
        outputs = []
        for name in ("a.1.gz", "b.1.gz"):
            out = self.path(name)
            subprocess.run([sys.executable, MANGEN, "--version", "1", src, out], check=True, timeout=30)
            with open(out, "rb") as f:
                outputs.append(f.read())
        self.assertEqual(outputs[0], outputs[1])
        self.assertIn(b".SH NAME", gzip.decompress(outputs[0]))


class BuiltPagesTest(StrataTestCase):

    def page_path(self, page):
        section = page.rsplit(".", 1)[1]
        path = os.path.join(MAN_DIR, "man" + section, page + ".gz")
        if not os.path.exists(path):
            self.skipTest("man pages not generated (target strata_man_pages)")
        return path

    def test_every_page_renders_cleanly_and_is_indexed(self):
        if not shutil.which("man") or not shutil.which("groff"):
            self.skipTest("man-db / groff not installed")
        for page in PAGES:
            with self.subTest(page=page):
                path = self.page_path(page)
                rc, text, err = render(path)
                self.assertEqual(rc, 0, err)
                self.assertEqual(err.strip(), "")
                for section in ("NAME", "DESCRIPTION", "SEE ALSO"):
                    self.assertRegex(text, r"(?m)^%s$" % section)
                with open(path, "rb") as f:
                    troff = gzip.decompress(f.read())
                g = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z"], input=troff,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
                self.assertEqual(g.returncode, 0)
                self.assertEqual(g.stderr.decode().strip(), "", "groff warnings")
                if shutil.which("lexgrog"):
                    lx = subprocess.run(["lexgrog", path], stdout=subprocess.PIPE, timeout=30)
                    name = page.rsplit(".", 1)[0]
                    self.assertRegex(lx.stdout.decode(), r': "%s - \S' % re.escape(name))

    def test_pages_document_everything_the_programs_list_in_help(self):
        if not shutil.which("man"):
            self.skipTest("man (man-db) not installed")
        checked = 0
        for page, binary in PAGES.items():
            if binary is None or not os.path.exists(binary):
                continue
            with self.subTest(page=page):
                r = subprocess.run([binary, "--help"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   timeout=30)
                words = help_words(r.stdout.decode())
                self.assertTrue(words, "nothing found in %s --help" % binary)
                _, text, _ = render(self.page_path(page))
                missing = sorted(w for w in words if not re.search(r"(?<![\w-])%s(?![\w-])" % re.escape(w), text))
                self.assertEqual(missing, [], "%s lists these in --help, %s does not" % (binary, page))
                checked += 1
        if checked == 0:
            self.skipTest("no program built")


if __name__ == "__main__":
    unittest.main()
