#!/bin/bash
# The full protocol of ../2026-12-03-kernels-zen5-rowblocks/run_rounds.sh (SGEMM, streaming, LeNet,
# with the previous kernels jar's SGEMM and LeNet in every round through BEFORE_CP), its output sent
# here; see README.md for the two invocations.
here="$(cd "$(dirname "$0")" && pwd)"
OUT_DIR="$here" exec bash "$here/../2026-12-03-kernels-zen5-rowblocks/run_rounds.sh" "$@"
