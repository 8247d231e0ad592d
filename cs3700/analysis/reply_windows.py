#!/usr/bin/env python3
"""Where a run's slow replies are: every reply to a client, by window and kind, pooled over runs.

Kept harness runs (./raftkv cs3700 --keep ...; cs3700/HARNESS.md) are read from their
messages.log. Each reply (ok to a get, ok to a put, redirect or fail) is put in the window its
request was sent in:
  - start: the clients' first 1.5 s (they are still learning who leads; the JIT is cold);
  - kill: from 50 ms before a kill_leader to 2.5 s after it;
  - steady: the rest;
and counted with how many took under 5 ms (the median is under 5 ms exactly when more than half
of all replies are). Then the burst after each kill: the requests sent within 100 ms after a new
leader first spoke (the clients' retries, redirected together when it spoke), by latency bucket.
Last, the clients' first second: how many of its replies came under 5 ms.
Usage: python3 cs3700/analysis/reply_windows.py RUN_DIR...
"""
import collections
import json
import sys

from run_anatomy import lines


def bucket(ms):
    return '<5' if ms < 5 else '5-20' if ms < 20 else '20-100' if ms < 100 else '>=100'


def first_leader_words(all_rows, kills):
    """For each kill, when a replica next sent a peer message naming itself as leader."""
    spoke = {}
    for k in kills:
        for t, fate, src, dst, p in all_rows:
            if t > k and src != '-' and fate != 'client' and ('"leader":"%s"' % src) in p:
                spoke[k] = t
                break
    return spoke


def main(run_dirs):
    total, fast = collections.Counter(), collections.Counter()
    burst = collections.Counter()
    first_second = [0, 0]
    for d in run_dirs:
        all_rows = list(lines(d))
        kills = [t for t, fate, _, _, p in all_rows if fate == 'note' and 'kill_leader' in p]
        spoke = first_leader_words(all_rows, kills)
        sent = {}
        for t, fate, src, dst, p in all_rows:
            if fate != 'client':
                continue
            m = json.loads(p)
            if m.get('type') in ('get', 'put'):
                sent[m['MID']] = (t, m['type'])
                continue
            if m.get('MID') not in sent:
                continue
            at, kind = sent.pop(m['MID'])
            ms = t - at
            reply = 'ok-' + kind if m['type'] == 'ok' else m['type']
            window = ('start' if at < 1500 else
                      'kill' if any(k - 50 <= at <= k + 2500 for k in kills) else 'steady')
            total[(window, reply)] += 1
            fast[(window, reply)] += ms < 5
            if at < 1000:
                first_second[0] += ms < 5
                first_second[1] += 1
            for k, s in spoke.items():
                if s <= at < s + 100:
                    burst[(reply, bucket(ms))] += 1
    runs = len(run_dirs)
    print('runs %d, replies %d, under 5 ms %d' % (runs, sum(total.values()), sum(fast.values())))
    for key in sorted(total):
        slow = total[key] - fast[key]
        print('%-6s %-9s n=%5d under 5 ms %5d, slow %5d (%.1f a run)' % (key[0], key[1], total[key], fast[key], slow, slow / runs))
    print('burst (sent within 100 ms after a new leader first spoke, after a kill):')
    for reply in sorted({r for r, _ in burst}):
        print('  %-9s %s' % (reply, '  '.join('%s %d' % (b, burst[(reply, b)]) for b in ('<5', '5-20', '20-100', '>=100'))))
    print('first second: %d of %d replies under 5 ms' % tuple(first_second))


if __name__ == '__main__':
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
