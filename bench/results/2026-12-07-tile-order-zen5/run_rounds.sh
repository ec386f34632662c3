#!/bin/bash
# The protocol of ../2026-12-03-kernels-zen5-rowblocks/run_rounds.sh (SGEMM only, the previous
# kernels jar in every round through BEFORE_CP), its output sent here; see README.md for the two
# invocations.
here="$(cd "$(dirname "$0")" && pwd)"
OUT_DIR="$here" SGEMM_ONLY=1 exec bash "$here/../2026-12-03-kernels-zen5-rowblocks/run_rounds.sh" "$@"
