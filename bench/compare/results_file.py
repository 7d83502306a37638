"""bench/RESULTS.md holds one section per benchmark script; each script replaces only its own
section (between <!-- begin NAME --> and <!-- end NAME --> markers) and leaves the others."""

import os

HEADER = """# Benchmark results

Each section below is written by the script it names, with the exact command and the date
of the run. Figures come from one run on the machine at hand (often a shared, noisy 2-core
VM): compare the ratios within a section, not absolute values across sections.
"""


def replace_section(path, name, text):
    begin, end = "<!-- begin %s -->" % name, "<!-- end %s -->" % name
    content = open(path).read() if os.path.exists(path) else HEADER
    block = "%s\n%s\n%s" % (begin, text.strip(), end)
    if begin in content and end in content:
        before = content[:content.index(begin)]
        after = content[content.index(end) + len(end):]
        content = before + block + after
    else:
        content = content.rstrip() + "\n\n" + block + "\n"
    with open(path, "w") as f:
        f.write(content)
