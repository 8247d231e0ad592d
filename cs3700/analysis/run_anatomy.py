#!/usr/bin/env python3
"""What one kept harness run was made of, read from its messages.log (cs3700/HARNESS.md).

For each run directory (./raftkv cs3700 --keep ... prints where it is):
  - replies: the median, and the share under 5 ms, from 5 to 100 ms, and from 100 ms on (the
    course's Full, Partial and No credit lines for advanced-3's median);
  - after each kill_leader: how long until another replica spoke as leader, and the replies to
    requests sent meanwhile (how many, how many under 5 ms);
  - after each part_hard: which side the leader the simulator believed in was on, and how long
    until the first put was answered ok (a leader left a majority should go on at once); where
    the leader was cut off, when the majority side's new leader first spoke and how long after
    that its first put was answered (a new leader should commit within a round or two);
  - after each part_end: the requests sent before it and answered after it, and how long after
    the heal the last of them was answered (a replica cut off should learn of the leader soon);
  - redirects answering requests sent in the clients' first second (while they learn who leads);
  - relay hops: from the harness handing a replica a bundle it must pass on to the harness
    reading what that replica sent next (replica time plus the harness's own), over the run and
    before and after the first kill (the code is warmer after);
  - rounds with new entries, by route (star, chain, other), by whether the leader said it was
    losing messages ("lossy": wide rounds), before and after the first kill;
  - puts answered ok by the replica they were sent to, by the route of the first round that
    replica sent after the put came (within 3 ms), and the share of them answered under 5 ms.
Usage: python3 cs3700/analysis/run_anatomy.py RUN_DIR...
"""
import collections
import json
import re
import sys


def lines(run_dir):
    with open(run_dir + '/messages.log', encoding='utf-8') as f:
        for line in f:
            t, fate, src, dst, payload = line.rstrip('\n').split(' ', 4)
            yield float(t), fate, src, dst, payload


def quantiles(xs, qs):
    xs = sorted(xs)
    return ' '.join('p%d=%.2f' % (q, xs[min(len(xs) - 1, int(len(xs) * q / 100))]) for q in qs) if xs else 'none'


def round_route(m, leader):
    """The route of a message if it is a round of new entries sent by leader, else None."""
    if m.get('type') == 'append' and m.get('e'):
        return 'direct'
    if m.get('type') != 'bundle' or not any(
            x.get('type') == 'append' and x.get('e') and x.get('src') == leader for x in m.get('m', [])):
        return None
    return 'star' if 'fork' in m else 'chain' if len(m.get('via', [])) >= 2 else 'other'


def anatomy(run_dir):
    sent_at, latencies, kills, hops = {}, [], [], []
    relay_pending, rounds = {}, collections.Counter()
    first_kill, waiting_for_leader = None, []
    # [time, leader on the majority side?, the majority side, when one of it first spoke as leader], times of put oks
    partitions, put_oks = [], []
    heals = []
    # Puts waiting for the first round their leader sends: MID -> [sent, leader, route or None].
    puts, put_routes = {}, collections.Counter()
    replies = []  # (request sent, latency, reply type)
    for t, fate, src, dst, payload in lines(run_dir):
        if fate == 'note':
            m = re.match(r'kill_leader: SIGTERM to (\w+)', payload)
            if m:
                kills.append([t, m.group(1), None])
                first_kill = t if first_kill is None else first_kill
            m = re.match(r'part_hard: majority side \[(.*)\] \(leader believed (\w+)\)', payload)
            if m:
                side = [x.strip() for x in m.group(1).split(',')]
                partitions.append([t, m.group(2) in side, side, None])
            if payload.startswith('part_end'):
                heals.append(t)
            continue
        m = json.loads(payload)
        if fate == 'client':
            if m['type'] in ('get', 'put'):
                sent_at[m['MID']] = t
                if m['type'] == 'put':
                    puts[m['MID']] = [t, dst, None]
            elif m.get('MID') in sent_at:
                latencies.append(t - sent_at[m['MID']])
                replies.append((sent_at[m['MID']], t - sent_at[m['MID']], m['type']))
                put = puts.pop(m['MID'], None)
                if put and m['type'] == 'ok':
                    put_oks.append(t)
                    phase = 'after kill' if first_kill is not None and put[0] >= first_kill else 'before kill'
                    put_routes[(phase, put[2] or 'none within 3 ms', t - put[0] < 5)] += 1
            continue
        for put in puts.values():
            if put[2] is None and put[1] == src and t - put[0] <= 3:
                put[2] = round_route(m, src)
        for k in kills:
            if k[2] is None and t > k[0] and m.get('leader') == src and src != k[1]:
                k[2] = t - k[0]
        for p in partitions:
            if not p[1] and p[3] is None and t > p[0] and src in p[2] and m.get('leader') == src:
                p[3] = t
        if m['type'] != 'bundle':
            continue
        if src in relay_pending:
            hops.append((t, t - relay_pending.pop(src)))
        if fate == 'delivered' and (m.get('via') or m.get('fork')):
            relay_pending[dst] = t
        inner = m.get('m', [])
        if m.get('leader') == src and any(x.get('type') == 'append' and x.get('e') and x.get('src') == src for x in inner):
            route = 'star' if 'fork' in m else 'chain' if len(m.get('via', [])) >= 2 else 'other'
            wide = 'wide' if any(x.get('lossy') for x in inner) or m.get('lossy') else 'narrow'
            phase = 'after kill' if first_kill is not None and t >= first_kill else 'before kill'
            rounds[(phase, route, wide)] += 1
    n = len(latencies)
    print('==', run_dir)
    if n:
        lat = sorted(latencies)
        share = lambda lo, hi: 100.0 * sum(1 for x in lat if lo <= x < hi) / n
        print('replies n=%d median=%.2f ms  <5 ms %.1f%%  5-100 ms %.1f%%  >=100 ms %.1f%%'
              % (n, lat[n // 2], share(0, 5), share(5, 100), share(100, float('inf'))))
    fast = lambda rs: sum(1 for r in rs if r[1] < 5)
    for at, who, gap in kills:
        print('kill of %s at %+.0f ms: next leader spoke %s' % (who, at, 'after %.0f ms' % gap if gap else 'never'))
        if gap:
            meanwhile = [r for r in replies if at <= r[0] < at + gap]
            print('  replies to requests sent meanwhile: %d, under 5 ms %d' % (len(meanwhile), fast(meanwhile)))
    for at, majority, _, spoke in partitions:
        ok = next((o for o in put_oks if o > at), None)
        print('part_hard at %+.0f ms, leader on the %s side: first put ok after %s' % (
            at, 'majority' if majority else 'minority', '%.0f ms' % (ok - at) if ok else 'never'))
        if not majority and spoke:
            ok = next((o for o in put_oks if o > spoke), None)
            print('  the majority side\'s new leader spoke after %.0f ms, its first put ok %s later' % (
                spoke - at, '%.0f ms' % (ok - spoke) if ok else 'never'))
    for at in heals:
        held = [r[0] + r[1] - at for r in replies if r[0] < at < r[0] + r[1]]
        print('part_end at %+.0f ms: %d requests held across it, the last answered %s after it' % (
            at, len(held), '%.0f ms' % max(held) if held else '-'))
    first = min((r[0] for r in replies), default=0)
    early = [r for r in replies if r[0] < first + 1000 and r[2] == 'redirect']
    print('redirects to requests sent in the first second: %d, under 5 ms %d' % (len(early), fast(early)))
    print('relay hops n=%d %s' % (len(hops), quantiles([h for _, h in hops], (10, 50, 90, 99))))
    if first_kill is not None:
        for phase, keep in (('before kill', lambda t: t < first_kill), ('after kill', lambda t: t >= first_kill)):
            part = [h for t, h in hops if keep(t)]
            print('relay hops %-11s n=%d %s' % (phase, len(part), quantiles(part, (10, 50, 90))))
    for key in sorted(rounds):
        print('rounds %-11s %-5s %-6s %d' % (key + (rounds[key],)))
    for phase, route in sorted({k[:2] for k in put_routes}):
        fast, slow = put_routes[(phase, route, True)], put_routes[(phase, route, False)]
        print('puts   %-11s first round %-17s %3d, under 5 ms %3.0f%%' % (phase, route, fast + slow, 100.0 * fast / (fast + slow)))


if __name__ == '__main__':
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for d in sys.argv[1:]:
        anatomy(d)
