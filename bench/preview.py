#!/usr/bin/env python3
"""Preview latency benchmark (issue #6): how long after a save does
`commons serve` have the edited page ready?

Copies the real catalogue to a temporary folder, starts the release
`commons serve` on a free port, and for each of ROUNDS edits to
entries/tools/misp.md measures, from the moment the file is written:
  - rebuilt: until the long poll that open pages make (/__commons/wait.js)
    answers with the new build, which is when an open page reloads;
  - page: until a GET of the entry page returns the edited text.
Prints each round and the median. Standard library only.

With ENTRIES, the catalogue is a synthetic one of that many entries
(`commons synth`, one evaluation per five entries) and the edited file is
entries/tools/entry-0.md: the figure issue #7 asks for at 10,000 entries.

Usage: bench/preview.py [ROUNDS] [ENTRIES]
       (default 10 rounds over the real catalogue; run `cargo build --release` first)
"""
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 10
synthetic = int(sys.argv[2]) if len(sys.argv) > 2 else 0
binary = os.path.join(ROOT, "target", "release", "commons")
work = tempfile.mkdtemp()
if synthetic:
    os.rmdir(work)
    subprocess.run([binary, "synth", work, "--entries", str(synthetic),
                    "--evaluations", str(synthetic // 5)], check=True, stdout=subprocess.DEVNULL)
    slug = "entry-0"
else:
    shutil.copytree(os.path.join(ROOT, "entries"), os.path.join(work, "entries"))
    shutil.copy(os.path.join(ROOT, "commons.yaml"), work)
    slug = "misp"
server = subprocess.Popen([binary, "serve", work, "--port", "0"],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
try:
    line = server.stdout.readline()
    base = re.search(r"http://127\.0\.0\.1:\d+/", line).group(0)

    def generation(since):
        with urllib.request.urlopen(f"{base}__commons/wait.js?since={since}", timeout=60) as r:
            return int(re.search(r'"generation":(\d+)', r.read().decode()).group(1))

    current = generation("")
    entry = os.path.join(work, "entries", "tools", f"{slug}.md")
    original = open(entry, encoding="utf-8").read()
    rebuilt, shown = [], []
    for n in range(rounds):
        marker = f"Preview benchmark edit {n}."
        answer = {}
        waiter = threading.Thread(target=lambda: answer.update(g=generation(current)))
        waiter.start()
        time.sleep(0.3)  # the poll is waiting, as an open page's would be
        start = time.perf_counter()
        with open(entry, "w", encoding="utf-8") as f:
            f.write(re.sub(r"(?m)^summary: .*$", f"summary: {marker}", original, count=1))
        waiter.join()
        rebuilt.append(time.perf_counter() - start)
        while True:
            with urllib.request.urlopen(f"{base}entry/{slug}.html", timeout=60) as r:
                if marker in r.read().decode():
                    break
            time.sleep(0.005)
        shown.append(time.perf_counter() - start)
        current = answer["g"]
        print(f"round {n + 1}: rebuilt after {rebuilt[-1] * 1000:.0f} ms, "
              f"page served after {shown[-1] * 1000:.0f} ms")
    print(f"median: rebuilt {statistics.median(rebuilt) * 1000:.0f} ms, "
          f"page {statistics.median(shown) * 1000:.0f} ms; "
          f"worst page {max(shown) * 1000:.0f} ms ({rounds} rounds)")
finally:
    server.kill()
    shutil.rmtree(work, ignore_errors=True)
