#!/usr/bin/env python3
"""Preview latency benchmark (issues #6 and #7): how long after a save does
`commons serve` show the edited page, and have the whole site rebuilt?

Copies the real catalogue to a temporary folder, starts the release
`commons serve` on a free port, and for each of ROUNDS edits to the
summary of entries/tools/misp.md measures, from the moment the file is
written:
  - shown: until the long poll that the open entry page makes
    (/__commons/wait.js?page=...) tells it to reload, which the quick
    build of the one edited entry does; the page is then served edited;
  - whole: until the whole build that follows is done (listings, search
    and exports updated);
and reads from the server's log how long the quick build itself took
(checking the file, rendering and writing its page), without the 80 ms
the watcher waits for a burst of saves to end. Prints each round and the
medians. Standard library only.

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
log = open(os.path.join(tempfile.gettempdir(), f"preview-{os.getpid()}.log"), "w+")
server = subprocess.Popen([binary, "serve", work, "--port", "0"],
                          stdout=subprocess.PIPE, stderr=log, text=True)
try:
    line = server.stdout.readline()
    base = re.search(r"http://127\.0\.0\.1:\d+/", line).group(0)
    page = f"entry/{slug}.html"

    def ask(since, page=None):
        query = f"since={since}" + (f"&page={page}" if page else "")
        with urllib.request.urlopen(f"{base}__commons/wait.js?{query}", timeout=60) as r:
            text = r.read().decode()
        return (int(re.search(r'"generation":(\d+)', text).group(1)),
                '"reload":true' in text, '"pending":true' in text)

    current = ask("")[0]
    entry = os.path.join(work, "entries", "tools", f"{slug}.md")
    original = open(entry, encoding="utf-8").read()
    shown, whole, quick = [], [], []
    for n in range(rounds):
        marker = f"Preview benchmark edit {n}."
        answer = {}
        waiter = threading.Thread(target=lambda: answer.update(a=ask(current, page)))
        waiter.start()
        time.sleep(0.3)  # the poll is waiting, as an open page's would be
        start = time.perf_counter()
        with open(entry, "w", encoding="utf-8") as f:
            f.write(re.sub(r"(?m)^summary: .*$", f"summary: {marker}", original, count=1))
        waiter.join()
        shown.append(time.perf_counter() - start)
        generation, reload, pending = answer["a"]
        assert reload, "the page was not told to reload"
        with urllib.request.urlopen(f"{base}{page}", timeout=60) as r:
            assert marker in r.read().decode(), "the page was told to reload before its edit"
        while pending:
            generation, _, pending = ask(generation)
        whole.append(time.perf_counter() - start)
        current = generation
        log.seek(0)
        taken = re.findall(r"showing the edit to `[^`]*` \((\d+) ms\)", log.read())
        quick.append(int(taken[-1]) / 1000 if len(taken) == n + 1 else float("nan"))
        print(f"round {n + 1}: quick build {quick[-1] * 1000:.0f} ms, page told to reload "
              f"after {shown[-1] * 1000:.0f} ms, whole site after {whole[-1] * 1000:.0f} ms")
    ms = lambda values: f"{statistics.median(values) * 1000:.0f} ms"
    print(f"median: quick build {ms(quick)}, page told to reload {ms(shown)}, whole site "
          f"{ms(whole)}; worst: quick {max(quick) * 1000:.0f} ms, page {max(shown) * 1000:.0f} ms "
          f"({rounds} rounds)")
finally:
    server.kill()
    log.close()
    os.unlink(log.name)
    shutil.rmtree(work, ignore_errors=True)
