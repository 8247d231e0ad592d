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
# was answered after each part_hard that left the leader on the majority side, and the run's folder.
# Default seeds: 3700 3701 3702.
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 BASE_CHECKOUT NEW_CHECKOUT CONFIG [SEED...]" >&2; exit 2; }
base=$(cd "$1" && pwd); new=$(cd "$2" && pwd); config=$3; shift 3
seeds=("$@"); [ ${#seeds[@]} -gt 0 ] || seeds=(3700 3701 3702)
here=$(cd "$(dirname "$0")" && pwd)

one() { # label checkout seed generation
  local out kept line
  out=$(cd "$2" && ./raftkv cs3700 --generation "$4" --seed "$3" --keep "$config" 2>&1) || true
  kept=$(sed -n 's/^(replica logs kept in \(.*\))$/\1/p' <<<"$out" | tail -1)
  line=$(grep -E "^$config +$4 +(PASS|FAIL)" <<<"$out" | tail -1 | awk '{print $3, $4, $5, $6, $7}' || true)
  local fast="" stalls="" anatomy
  if [ -n "$kept" ]; then
    anatomy=$(python3 "$here/run_anatomy.py" "$kept" 2>/dev/null || true)
    fast=$(sed -n 's/.*<5 ms \([0-9.]*%\).*/\1/p' <<<"$anatomy" | head -1)
    stalls=$(sed -n 's/.*majority side: first put ok after \([0-9]*\) ms/\1/p' <<<"$anatomy" | paste -sd/ -)
  fi
  printf '%-5s %s %s %s fast=%s majority-stalls=%s %s\n' "$1" "$3" "$4" "$line" "$fast" "${stalls:--}" "$kept"
}

i=0
for seed in "${seeds[@]}"; do
  for gen in A B; do
    if (( i % 2 == 0 )); then one base "$base" "$seed" "$gen"; one new "$new" "$seed" "$gen"
    else one new "$new" "$seed" "$gen"; one base "$base" "$seed" "$gen"; fi
  done
  i=$((i + 1))
done
