#!/usr/bin/env python3
"""How much of a course run's reply latency is the machine waking up.

Requests in the course configs come tens of milliseconds apart, so every message finds the
receiving process asleep and, on a VM, often its CPU idle. This measures round trips on loopback
UDP twice, back to back and with a pause before each one:

  1. Python to Python (an echo): the floor any replica pays per message;
  2. Python to one real ./3700kvstore, started as a one-replica cluster (it leads itself), with
     gets and puts like a course client's.

Usage: python3 cs3700/analysis/wakeup_cost.py [--samples N] [--pause-ms MS]
The replica needs the project built (make build). Prints median and 90th percentile in µs.
"""
import argparse
import json
import os
import socket
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def quantiles(samples):
    s = sorted(samples)
    return 'p50 %4.0f µs  p90 %4.0f µs' % (s[len(s) // 2] * 1e6, s[len(s) * 9 // 10] * 1e6)


def echo_round_trips(samples, pause):
    a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    a.bind(('127.0.0.1', 0))
    b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    b.bind(('127.0.0.1', 0))
    pid = os.fork()
    if pid == 0:
        while True:
            data, addr = b.recvfrom(100)
            if data == b'quit':
                os._exit(0)
            b.sendto(data, addr)
    took = []
    for _ in range(samples):
        time.sleep(pause)
        t = time.perf_counter()
        a.sendto(b'x', b.getsockname())
        a.recvfrom(100)
        took.append(time.perf_counter() - t)
    a.sendto(b'quit', b.getsockname())
    os.waitpid(pid, 0)
    return took


def replica_round_trips(samples, pause):
    sim = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sim.bind(('127.0.0.1', 0))
    port = sim.getsockname()[1]
    replica = subprocess.Popen([os.path.join(ROOT, '3700kvstore'), str(port), '0000'],
                               stderr=subprocess.DEVNULL)
    try:
        _, addr = sim.recvfrom(65536)  # hello
        time.sleep(6)  # its start-up window, the JIT warm-up, then it elects itself
        sim.settimeout(5)
        took = {'put': [], 'get': []}
        for i in range(samples):
            for kind in ('put', 'get'):
                time.sleep(pause)
                m = {'src': '0010', 'dst': '0000', 'leader': '0000', 'type': kind,
                     'MID': '%s%d' % (kind, i), 'key': 'k%d' % (i % 10)}
                if kind == 'put':
                    m['value'] = 'v%d' % i
                t = time.perf_counter()
                sim.sendto(json.dumps(m).encode(), addr)
                reply = json.loads(sim.recvfrom(65536)[0])
                took[kind].append(time.perf_counter() - t)
                if reply.get('type') != 'ok':
                    raise SystemExit('unexpected reply: %s' % reply)
        return took
    finally:
        replica.terminate()
        replica.wait()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--samples', type=int, default=300)
    p.add_argument('--pause-ms', type=float, default=30.0, help='pause before each spaced round trip')
    args = p.parse_args()
    pause = args.pause_ms / 1000
    for label, wait in (('back to back', 0.0), ('after %.0f ms idle' % args.pause_ms, pause)):
        print('python echo, %-18s %s' % (label, quantiles(echo_round_trips(args.samples, wait))))
    for label, wait in (('back to back', 0.0), ('after %.0f ms idle' % args.pause_ms, pause)):
        took = replica_round_trips(args.samples, wait)
        for kind in ('get', 'put'):
            print('3700kvstore %s, %-18s %s' % (kind, label, quantiles(took[kind])))


if __name__ == '__main__':
    main()
