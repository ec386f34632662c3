#!/usr/bin/env python3
"""Medians (min-max) of the measured iterations of both rounds, per side, and after/before. Reads jmh/*.json.gz."""
import os, statistics, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "peers"))
from results_io import load_json, json_files  # JSON here is committed gzipped (bench/peers/results_io.py)
here = os.path.dirname(os.path.abspath(__file__))
rows = {}
for f in json_files(os.path.join(here, 'jmh', '*.json')):
    kind, side, _ = os.path.basename(f).split('.')[0].split('-')
    for b in load_json(f):
        p = b.get('params', {})
        key = (kind, p.get('algorithm'), p.get('tensors', '-'))
        rows.setdefault(key, {}).setdefault(side, []).extend(x for it in b['primaryMetric']['rawData'] for x in it)
print('| step | algorithm | tensors | before ms, median (min-max) | after ms, median (min-max) | after / before |')
print('|---|---|---|---|---|---|')
for (kind, alg, tensors), sides in sorted(rows.items()):
    b, a = sides.get('before', []), sides.get('after', [])
    if not a or not b:
        continue
    mb, ma = statistics.median(b), statistics.median(a)
    print(f'| {kind} | {alg} | {tensors} | {mb:.2f} ({min(b):.2f}-{max(b):.2f}) | {ma:.2f} ({min(a):.2f}-{max(a):.2f}) | {ma / mb:.2f} |')
