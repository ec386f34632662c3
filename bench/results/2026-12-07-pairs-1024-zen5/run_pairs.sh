#!/bin/bash
# ../2026-12-07-pairs-2048-zen5/run_pairs.sh at n = 1024, its output sent here (SIZES=1024 OUT_DIR);
# see README.md for the invocation.
here="$(cd "$(dirname "$0")" && pwd)"
SIZES=1024 OUT_DIR="$here" exec bash "$here/../2026-12-07-pairs-2048-zen5/run_pairs.sh" "$@"
