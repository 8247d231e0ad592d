#!/usr/bin/env python3
"""What a kept harness run spent its counted messages on, read from its messages.log.

For each run directory (./raftkv cs3700 --keep ... prints where it is):
  - bundles (cs3700/REPLICA.md, "Wire format of a bundle") by what they carry: new log entries,
    heartbeats, answers only; and how many of each were dropped or cut by a partition;
  - the leader's own messages carrying entries, per second of the run (from the clients' start),
    wide (flagged "lossy": rounds to every follower) against narrow, as "second:wide/narrow";
  - vote requests: how many, how many went to a replica already killed, how many a partition cut;
  - vote requests and answers in bursts (gaps over 300 ms apart), pre-votes and real votes apart,
    with the harness's events between them.
Usage: python3 cs3700/analysis/message_mix.py RUN_DIR...
"""
import collections
import json
import sys


def peer_messages(run_dir):
    """(time ms from the clients' start, fate, src, dst, message) between replicas; notes as ('note', text)."""
    with open(run_dir + '/messages.log', encoding='utf-8') as f:
        for line in f:
            t, fate, src, dst, payload = line.rstrip('\n').split(' ', 4)
            if fate == 'note':
                yield float(t), 'note', None, None, payload
            elif src < '0010' and dst < '0010':  # replica ids; clients start at 0010 and up
                yield float(t), fate, src, dst, json.loads(payload)


def bundle_kind(m):
    kinds = {x.get('type') for x in m.get('m', [])}
    if any(x.get('type') == 'append' and x.get('e') for x in m.get('m', [])):
        return 'entries'
    return 'heartbeats' if 'hb' in kinds else 'answers and other'


def leader_entries(m, src):
    """The appends with entries in a message the leader itself sent (not a relayed leg), else []."""
    if m.get('type') == 'bundle' and m.get('via') and src != m.get('leader'):
        return []
    inner = m.get('m', []) if m.get('type') == 'bundle' else [m]
    return [x for x in inner if x.get('type') == 'append' and x.get('e')]


def report(run_dir):
    bundles = collections.Counter()
    per_second = collections.Counter()
    bursts, burst, last_vote = [], collections.Counter(), None
    killed, requests = set(), collections.Counter()
    for t, fate, src, dst, m in peer_messages(run_dir):
        if fate == 'note':
            if any(e in m for e in ('part_hard', 'part_end', 'kill_')):
                bursts.append((t, m.split(':')[0]))
            if 'SIGTERM to' in m:
                killed.add(m.split()[-1])
            continue
        if m.get('type') == 'bundle':
            bundles[(bundle_kind(m), fate)] += 1
        apps = leader_entries(m, src)
        if apps:
            per_second[(int(t // 1000), 'wide' if apps[0].get('lossy') else 'narrow')] += 1
        if m.get('type') == 'vote':
            requests['all'] += 1
            requests['to a killed replica'] += dst in killed
            requests['cut by a partition'] += fate == 'cut'
        if m.get('type') in ('vote', 'voteR'):
            if last_vote is not None and t - last_vote > 300 and burst:
                bursts.append((burst_start, dict(burst)))
                burst = collections.Counter()
            if not burst:
                burst_start = t
            burst[('pre' if m.get('pre') else 'vote') + ('R' if m['type'] == 'voteR' else '')] += 1
            last_vote = t
    if burst:
        bursts.append((burst_start, dict(burst)))
    print('==', run_dir)
    for kind in ('entries', 'heartbeats', 'answers and other'):
        fates = {f: n for (k, f), n in bundles.items() if k == kind}
        print('bundles with %-17s %4d  %s' % (kind, sum(fates.values()), fates))
    seconds = sorted({s for s, _ in per_second})
    print('leader entry messages per second, wide/narrow:',
          ' '.join('%d:%d/%d' % (s, per_second[(s, 'wide')], per_second[(s, 'narrow')]) for s in seconds))
    print('leader entry messages in all, wide/narrow: %d/%d; wide in the clients\' first 3 s: %d' % (
        sum(n for (_, w), n in per_second.items() if w == 'wide'),
        sum(n for (_, w), n in per_second.items() if w == 'narrow'),
        sum(n for (s, w), n in per_second.items() if w == 'wide' and s < 3)))
    print('vote requests: %d, to a killed replica %d, cut by a partition %d' % (
        requests['all'], requests['to a killed replica'], requests['cut by a partition']))
    print('vote messages in bursts (ms from the clients\' start):')
    for t, what in sorted(bursts, key=lambda b: b[0]):
        print('  %8.0f  %s' % (t, what if isinstance(what, str) else '%3d %s' % (sum(what.values()), what)))


if __name__ == '__main__':
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for d in sys.argv[1:]:
        report(d)
