#!/usr/bin/env python3
"""Medians (min-max) of the measured iterations of both rounds, per side, and after/before. Reads jmh/*.json."""
import glob, json, os, statistics, sys
here = os.path.dirname(os.path.abspath(__file__))
rows = {}
for f in sorted(glob.glob(os.path.join(here, 'jmh', '*.json'))):
    kind, side, _ = os.path.basename(f)[:-5].split('-')
    for b in json.load(open(f)):
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
