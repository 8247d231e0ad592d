#!/usr/bin/env bash
# Paired runs: the course emulation's figures for two builds of raftkv, run by turns on the same
# seeds, so that a slow spell of the machine falls on both (cs3700/REPLICA.md, "How we measure").
#
#   cs3700/analysis/paired_runs.sh BASE_CHECKOUT NEW_CHECKOUT CONFIG [SEED...]
#
# Each checkout must be built (`make` there). For each seed and generation (A, then B) it runs
# `./raftkv cs3700 --generation G --seed S --keep CONFIG` in one checkout, then in the other (which
# goes first alternates by seed), and prints one line per run: label, seed, generation, messages,
# failures, duplicates, median latency, the share of replies under 5 ms, the ms until the first put
# was answered after each part_hard that left the leader on the majority side, the ms from each
# part_end to the reply of the last request held across it, the same ms after each part_hard that
# cut the leader off (the majority side must elect one first), the ms from each kill_leader until the
# next leader spoke, and the run's folder.
# Default seeds: 3700 3701 3702. At the end, per label: runs, messages (mean, min-max), failures
# (sum), the mean share of replies under 5 ms, and the majority stalls pooled (count, median, how
# many over 500 ms, max), the heals' last replies pooled the same way (over 1000 ms), and the
# partitions that cut the leader off, pooled too (over 2000 ms), and the kills' outages (over 1000 ms):
# the figures cs3700/REPLICA.md quotes for each batch.
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 BASE_CHECKOUT NEW_CHECKOUT CONFIG [SEED...]" >&2; exit 2; }
base=$(cd "$1" && pwd); new=$(cd "$2" && pwd); config=$3; shift 3
name=$(basename "$config" .json) # the harness's result lines name a config file by its name
seeds=("$@"); [ ${#seeds[@]} -gt 0 ] || seeds=(3700 3701 3702)
here=$(cd "$(dirname "$0")" && pwd)

one() { # label checkout seed generation
  local out kept line
  out=$(cd "$2" && ./raftkv cs3700 --generation "$4" --seed "$3" --keep "$config" 2>&1) || true
  kept=$(sed -n 's/^(replica logs kept in \(.*\))$/\1/p' <<<"$out" | tail -1)
  line=$(grep -E "^$name +$4 +(PASS|FAIL)" <<<"$out" | tail -1 | awk '{print $3, $4, $5, $6, $7}' || true)
  local fast="" stalls="" heals="" minority="" outages="" anatomy
  if [ -n "$kept" ]; then
    anatomy=$(python3 "$here/run_anatomy.py" "$kept" 2>/dev/null || true)
    fast=$(sed -n 's/.*<5 ms \([0-9.]*%\).*/\1/p' <<<"$anatomy" | head -1)
    stalls=$(sed -n 's/.*majority side: first put ok after \([0-9]*\) ms/\1/p' <<<"$anatomy" | paste -sd/ -)
    heals=$(sed -n 's/^part_end.*the last answered \([0-9]*\) ms after it/\1/p' <<<"$anatomy" | paste -sd/ -)
    minority=$(sed -n 's/.*minority side: first put ok after \([0-9]*\) ms/\1/p' <<<"$anatomy" | paste -sd/ -)
    outages=$(sed -n 's/^kill of .*: next leader spoke after \([0-9]*\) ms/\1/p' <<<"$anatomy" | paste -sd/ -)
  fi
  printf '%-5s %s %s %s fast=%s majority-stalls=%s heals=%s minority-stalls=%s kill-outages=%s %s\n' "$1" "$3" "$4" \
    "$line" "$fast" "${stalls:--}" "${heals:--}" "${minority:--}" "${outages:--}" "$kept"
}

summary() { # the lines one() printed, on stdin
  python3 -c '
import re, statistics, sys
runs = {}
for line in sys.stdin:
    f = line.split()
    if len(f) < 13 or f[3] not in ("PASS", "FAIL"):
        continue
    r = runs.setdefault(f[0], {"msgs": [], "fails": 0, "fast": [], "stalls": [], "heals": [], "minority": [], "outages": []})
    r["msgs"].append(int(f[4])); r["fails"] += int(f[5])
    m = re.match(r"fast=([0-9.]+)%", f[8])
    if m: r["fast"].append(float(m.group(1)))
    r["stalls"] += [int(x) for x in f[9].split("=")[1].split("/") if x.isdigit()]
    r["heals"] += [int(x) for x in f[10].split("=")[1].split("/") if x.isdigit()]
    r["minority"] += [int(x) for x in f[11].split("=")[1].split("/") if x.isdigit()]
    r["outages"] += [int(x) for x in f[12].split("=")[1].split("/") if x.isdigit()]
def pooled(xs, over):
    s = sorted(xs)
    return "%d, median %d ms, %d over %d ms, max %d ms" % (len(s), s[len(s) // 2], sum(x > over for x in s), over, s[-1]) if s else "none"
for label, r in runs.items():
    print("%-5s runs %d, messages mean %.1f (%d-%d), failures %d, under 5 ms mean %s, majority stalls %s; heals %s; minority stalls %s; kill outages %s" % (
        label, len(r["msgs"]), statistics.mean(r["msgs"]), min(r["msgs"]), max(r["msgs"]), r["fails"],
        "%.1f %%" % statistics.mean(r["fast"]) if r["fast"] else "-", pooled(r["stalls"], 500), pooled(r["heals"], 1000),
        pooled(r["minority"], 2000), pooled(r["outages"], 1000)))
'
}

i=0
lines=""
for seed in "${seeds[@]}"; do
  for gen in A B; do
    if (( i % 2 == 0 )); then order=(base new); else order=(new base); fi
    for label in "${order[@]}"; do
      if [ "$label" = base ]; then l=$(one base "$base" "$seed" "$gen"); else l=$(one new "$new" "$seed" "$gen"); fi
      echo "$l"
      lines+="$l"$'\n'
    done
  done
  i=$((i + 1))
done
echo "== $name"
summary <<<"$lines"
