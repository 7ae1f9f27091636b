#!/usr/bin/env bash
# Search benchmark (issue #5): builds a synthetic catalogue of N entries,
# indexes the same built site with Pagefind, and prints side by side the
# index size, the bytes and requests of a cold first query and of a second
# query (counted by a logging server on 127.0.0.1, gzipped as a web server
# would send them), the size of the search JavaScript and the index build
# time. Needs: Chromium, python3, and `pagefind` (cargo install pagefind).
#
# Usage: bench/search.sh [ENTRIES]   (default 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
entries=${1:-10000}
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$work"; echo "work: $work" >&2' EXIT

cargo build --release --quiet
./target/release/commons synth "$work/catalogue" --entries "$entries" --evaluations $((entries / 5))
start=$(date +%s.%N)
./target/release/commons build "$work/catalogue" --out "$work/site" 2>/dev/null
ours_build=$(echo "$(date +%s.%N) - $start" | bc)
start=$(date +%s.%N)
pagefind --site "$work/site" --glob "entry/*.html" --quiet >/dev/null
pagefind_build=$(echo "$(date +%s.%N) - $start" | bc)
cp bench/ours.html bench/pagefind.html "$work/site/"

log="$work/requests.jsonl"
port=$((20000 + RANDOM % 20000))
python3 bench/serve.py "$work/site" "$port" "$log" &
server=$!
sleep 1
for page in ours pagefind; do
  echo "== $page" >> "$log"
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/profile-$page" --virtual-time-budget=20000 --dump-dom \
    "http://127.0.0.1:$port/$page.html?q=malware&q=sandbox" 2>/dev/null > "$work/$page.dom"
done

python3 - "$work" "$log" "$ours_build" "$pagefind_build" "$entries" <<'PY'
import gzip, json, os, re, sys, html
work, log, ours_build, pagefind_build, entries = sys.argv[1:]
def size(folder):
    total = zipped = files = 0
    for root, _, names in os.walk(folder):
        for name in names:
            data = open(os.path.join(root, name), "rb").read()
            total += len(data); zipped += len(gzip.compress(data, 9)); files += 1
    return total, zipped, files
phases = {}
current = None
for line in open(log):
    line = line.strip()
    if line.startswith("== "):
        current = line[3:]; phases[current] = {"cold": [], "second": [], "load": []}; part = "load"; continue
    entry = json.loads(line)
    if entry["path"].startswith("/mark?"):
        part = {"0": "cold", "1": "second"}.get(entry["path"][6:], "done"); continue
    if part in ("load", "cold", "second"):
        phases[current][part].append(entry)
def summary(entries, exclude_code):
    data = [e for e in entries if not exclude_code(e["path"])]
    return len(data), sum(e["gzip"] for e in data)
def timings(name):
    dom = open(os.path.join(work, name + ".dom")).read()
    found = re.search(r'<pre id="out">(.*?)</pre>', dom, re.S)
    return json.loads(html.unescape(found.group(1))) if found and found.group(1) else []
# Pages, styles and search code are not index data: our search.js, and
# Pagefind's pagefind.js, its worker and its WebAssembly.
def is_code(path):
    p = path.split("?")[0]
    return (p.endswith((".html", ".css", ".ico")) or "/static/" in p
            or (p.startswith("/pagefind/") and (p.endswith(".js") or "wasm" in p)))
ours_index = size(os.path.join(work, "site", "search"))
pagefind_index = size(os.path.join(work, "site", "pagefind"))
ours_js = len(gzip.compress(open(os.path.join(work, "site", "static", "search.js"), "rb").read(), 9))
pf = os.path.join(work, "site", "pagefind")
pagefind_js = sum(len(gzip.compress(open(os.path.join(pf, n), "rb").read(), 9))
                  for n in os.listdir(pf) if n.endswith(".js") or "wasm" in n)
rows = []
for name in ("ours", "pagefind"):
    p = phases.get(name, {"cold": [], "second": [], "load": []})
    cold = summary(p["load"] + p["cold"], is_code); second = summary(p["second"], is_code)
    rows.append((name, cold, second, timings(name)))
print(f"Search benchmark: {entries} synthetic entries, queries 'malware' (cold) then 'sandbox'")
print(f"{'':28}{'CSIRT Commons':>18}{'Pagefind':>18}")
print(f"{'index files':28}{ours_index[2]:>18}{pagefind_index[2]:>18}")
print(f"{'index bytes (raw)':28}{ours_index[0]:>18,}{pagefind_index[0]:>18,}")
print(f"{'index bytes (gzip)':28}{ours_index[1]:>18,}{pagefind_index[1]:>18,}")
print(f"{'search code, gzip':28}{ours_js:>18,}{pagefind_js:>18,}")
print(f"{'cold query: requests':28}{rows[0][1][0]:>18}{rows[1][1][0]:>18}")
print(f"{'cold query: bytes (gzip)':28}{rows[0][1][1]:>18,}{rows[1][1][1]:>18,}")
print(f"{'second query: requests':28}{rows[0][2][0]:>18}{rows[1][2][0]:>18}")
print(f"{'second query: bytes (gzip)':28}{rows[0][2][1]:>18,}{rows[1][2][1]:>18,}")
t0 = rows[0][3]; t1 = rows[1][3]
if t0 and t1:
    print(f"{'cold query time, ms':28}{t0[0]['ms']:>18.0f}{t1[0]['ms']:>18.0f}")
    print(f"{'second query time, ms':28}{t0[1]['ms']:>18.0f}{t1[1]['ms']:>18.0f}")
    print(f"{'results (cold, second)':28}{str(t0[0]['results'])+', '+str(t0[1]['results']):>18}{str(t1[0]['results'])+', '+str(t1[1]['results']):>18}")
search_dir = os.path.join(work, "site", "search")
def gz(path):
    return len(gzip.compress(open(path, "rb").read(), 9))
worst = max(gz(os.path.join(search_dir, "t", name)) + gz(os.path.join(search_dir, "b", name))
            for name in os.listdir(os.path.join(search_dir, "t")))
worst += gz(os.path.join(search_dir, "meta.js"))
print(f"{'worst one-word cold query':28}{worst:>18,}{'':>18}")
print(f"{'build or index time, s':28}{float(ours_build):>18.2f}{float(pagefind_build):>18.2f}")
print("(cold query counts the index files the first query loads, search code and pages excluded;")
print(" our build time is the whole site, pages included; Pagefind's is its indexing of that site)")
PY
