#!/usr/bin/env bash
# Build benchmark (issue #7): builds synthetic catalogues of 1,000, 10,000
# and 100,000 entries (with one evaluation per five entries) and prints,
# for each, wall time (the median of RUNS builds, default 3, after one
# that is not counted), entries per second, files written and peak memory;
# then builds the same Markdown with Hugo (Debian's package) and a minimal
# theme with per-category lists, and prints pages per second side by side.
# Needs: /usr/bin/time (GNU time), hugo (apt install hugo).
#
# Usage: bench/build.sh [SIZES...]   (default: 1000 10000 100000)
#
# Catalogues and sites are written in a temporary folder on disk, or under
# BENCH_OUT (a folder, e.g. /dev/shm for memory) when it is set. On disk,
# nothing is deleted until the end: ext4 is slow to create files in the
# minute after many were deleted, and that would favour whichever tool ran
# first. Under BENCH_OUT, each size's files are deleted once it is
# measured, so that the sites kept in memory never push the next
# catalogue out of the page cache.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 100000)
work=$(mktemp -d "${BENCH_OUT:-${TMPDIR:-/tmp}}/bench.XXXXXX")
out=$(mktemp -d "$work/sites.XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$work" "$out"; echo "work: $work" >&2' EXIT

for tool in hugo /usr/bin/time; do
  command -v "$tool" > /dev/null || {
    echo "bench/build.sh needs $tool: apt install hugo time" >&2; exit 2; }
done
cargo build --release --quiet
commons=./target/release/commons

# A Hugo site over the same Markdown: entry, evaluation and organisation
# pages, a paginated list per section and per category, 100 to a page.
hugo_site() {
  local catalogue=$1 site=$2
  mkdir -p "$site/content" "$site/layouts/_default"
  cp -r "$catalogue/entries/tools" "$site/content/tool"
  cp -r "$catalogue/entries/data" "$site/content/data"
  cp -r "$catalogue/entries/orgs" "$site/content/org"
  cp -r "$catalogue/entries/evaluations" "$site/content/evaluation"
  cat > "$site/hugo.toml" <<'TOML'
baseURL = "https://bench.example.org/"
title = "Bench"
paginate = 100
disableKinds = ["RSS"]
[taxonomies]
category = "categories"
TOML
  cat > "$site/layouts/_default/baseof.html" <<'HTML'
<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}{{ .Params.name }}</title></head>
<body><nav><a href="/">Home</a></nav><main>{{ block "main" . }}{{ end }}</main></body></html>
HTML
  cat > "$site/layouts/_default/single.html" <<'HTML'
{{ define "main" }}<h1>{{ .Params.name }}{{ .Params.entry }}</h1><p>{{ .Params.summary }}{{ .Params.verdict }}</p>
<ul>{{ range .Params.categories }}<li><a href="/categories/{{ . | urlize }}/">{{ . }}</a></li>{{ end }}</ul>
{{ .Content }}{{ end }}
HTML
  cat > "$site/layouts/_default/list.html" <<'HTML'
{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Params.name }}{{ .Params.entry }}</a> {{ .Params.summary }}</li>{{ end }}</ul>
{{ template "_internal/pagination.html" . }}{{ end }}
HTML
  cat > "$site/layouts/_default/terms.html" <<'HTML'
{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}
HTML
  cat > "$site/layouts/index.html" <<'HTML'
{{ define "main" }}<h1>Bench</h1><ul>{{ range .Site.Taxonomies.categories.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}
HTML
}

# Runs a command under GNU time; prints "seconds peak_megabytes".
measure() {
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" > /dev/null 2> "$work/stderr" || {
    cat "$work/stderr" >&2; exit 1; }
  awk '{ printf "%s %.0f\n", $1, $2 / 1024 }' "$work/time"
}

# Runs a build RUNS times (default 3), each into a new folder named by its
# second argument's pattern (%d is the run), and prints the median time and
# the highest peak memory. The machine's other tenants make single runs
# vary by 10 to 20 %. One build before them (into run 0's folder) is not
# counted: the first to touch memory the virtual machine has not used yet
# pays for it, and that would favour whichever tool runs second. Under
# BENCH_OUT, each build's output but the last is deleted once measured:
# sites kept in memory would make every build write into memory the
# machine touches for the first time, which costs more the larger the
# site (at 100,000 entries, a fifth more for both tools).
runs=${RUNS:-3}
median_of_runs() {
  local pattern=$1; shift
  local results=()
  for ((run = 0; run <= runs; run++)); do
    local target=${pattern//%d/$run}
    local result
    result=$(measure "${@//%OUT%/$target}")
    [ "$run" -eq 0 ] || results+=("$result")
    if [ -n "${BENCH_OUT:-}" ] && [ "$run" -lt "$runs" ]; then rm -rf "$target"; fi
  done
  printf '%s\n' "${results[@]}" | sort -n | awk -v n="$runs" '
    { t[NR] = $1; if ($2 > m) m = $2 }
    END { printf "%s %d\n", t[int((n + 1) / 2)], m }'
}

files() { find "$1" -type f | wc -l; }
pages() { find "$1" -type f -name '*.html' | wc -l; }

echo "output: $out ($(df --output=fstype "$out" | tail -1))"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(hugo version | cut -d' ' -f1-2)"
printf '%-8s %9s %10s %8s %7s %9s | %9s %8s %7s %9s | %7s\n' \
  entries "ours s" "entries/s" files "MB" "pages/s" "hugo s" pages "MB" "pages/s" ratio
declare -A times hugo_times
for n in "${sizes[@]}"; do
  catalogue="$work/catalogue-$n"
  $commons synth "$catalogue" --entries "$n" --evaluations $((n / 5))
  sync
  read -r ours_s ours_mb < <(median_of_runs "$out/site-$n-%d" \
    $commons build "$catalogue" --out %OUT%)
  ours_files=$(files "$out/site-$n-$runs")
  ours_pages=$(pages "$out/site-$n-$runs")
  hugo_site "$catalogue" "$work/hugo-$n"
  sync
  read -r hugo_s hugo_mb < <(median_of_runs "$out/hugo-out-$n-%d" \
    hugo --quiet -s "$work/hugo-$n" -d %OUT%)
  hugo_pages=$(pages "$out/hugo-out-$n-$runs")
  times[$n]=$ours_s
  hugo_times[$n]=$hugo_s
  if [ -n "${BENCH_OUT:-}" ]; then
    rm -rf "$catalogue" "$work/hugo-$n" "$out"/*-"$n"-*
  fi
  awk -v n="$n" -v os="$ours_s" -v of="$ours_files" -v op="$ours_pages" -v om="$ours_mb" \
      -v hs="$hugo_s" -v hp="$hugo_pages" -v hm="$hugo_mb" 'BEGIN {
    ours = op / os; hugo = hp / hs;
    printf "%-8d %9.2f %10.0f %8d %7d %9.0f | %9.2f %8d %7d %9.0f | %6.2fx\n",
      n, os, n / os, of, om, ours, hs, hp, hm, hugo, ours / hugo }'
done

# Growth: each size's time against the size ten times smaller (linear is
# 10x; the goal at 100,000 entries is at most 11x the time at 10,000).
for n in "${sizes[@]}"; do
  small=$((n / 10))
  if [ -n "${times[$small]:-}" ]; then
    awk -v n="$n" -v s="$small" -v a="${times[$small]}" -v b="${times[$n]}" \
      -v ha="${hugo_times[$small]}" -v hb="${hugo_times[$n]}" 'BEGIN {
      printf "time at %d entries: %.1fx the time at %d (Hugo: %.1fx)\n", n, b / a, s, hb / ha }'
  fi
done
