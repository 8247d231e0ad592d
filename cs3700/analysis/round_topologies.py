#!/usr/bin/env python3
"""Which routes should a leader's append take to three followers under message loss?

Exact enumeration (no sampling) of every scheme in which the leader sends to some followers and
each follower, on first receiving the entry, sends to a fixed set of peers (the leader and/or
other followers), every message carrying the answers its sender knows. A round succeeds when the
leader learns two followers' answers (a quorum of five with one replica dead, as in advanced-3
after its kill). Only messages actually sent count: a follower that never receives sends nothing.

Prints the Pareto front: success probability against expected messages per round. (A node
listed with sends that no route reaches sends nothing: its list does not matter.)
Usage: python3 cs3700/analysis/round_topologies.py [loss]   (default 0.3)
"""
import itertools
import sys

DELIVERED = 1 - (float(sys.argv[1]) if len(sys.argv) > 1 else 0.3)
FOLLOWERS = ['a', 'b', 'c']


def evaluate(scheme):
    edges = [('L', t) for t in scheme['L']] + [(f, t) for f in FOLLOWERS for t in scheme[f]]
    index = {e: i for i, e in enumerate(edges)}
    success = messages = 0.0
    for mask in range(1 << len(edges)):
        ok = [(mask >> i) & 1 for i in range(len(edges))]
        p = 1.0
        for o in ok:
            p *= DELIVERED if o else 1 - DELIVERED
        reached, answers, sent = {}, set(), len(scheme['L'])
        frontier = [('L', frozenset())]
        while frontier:  # one hop per step: first receipt wins, as in a real network
            nxt = {}
            for node, known in frontier:
                for to in scheme[node]:
                    if not ok[index[(node, to)]]:
                        continue
                    if to == 'L':
                        answers |= known
                    elif to not in reached and to not in nxt:
                        nxt[to] = known | {to}
            frontier = []
            for node, known in nxt.items():
                reached[node] = known
                frontier.append((node, known))
                sent += len(scheme[node])
        if len(answers) >= 2:
            success += p
        messages += p * sent
    return success, messages


def subsets(xs):
    for r in range(len(xs) + 1):
        yield from (list(c) for c in itertools.combinations(xs, r))


results = []
for to_followers in subsets(FOLLOWERS):
    if not to_followers:
        continue
    for sa in subsets(['L', 'b', 'c']):
        for sb in subsets(['L', 'a', 'c']):
            for sc in subsets(['L', 'a', 'b']):
                scheme = {'L': to_followers, 'a': sa, 'b': sb, 'c': sc}
                results.append((*evaluate(scheme), scheme))
results.sort(key=lambda r: (r[1], -r[0]))
best = 0.0  # (schemes that never succeed are left out)
print('success  messages  scheme (who sends to whom on first receipt)')
for s, m, scheme in results:
    if s > best + 1e-9:
        best = s
        print('%.3f    %5.2f     %s' % (s, m, scheme))
