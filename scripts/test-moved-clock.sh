#!/usr/bin/env bash
# Runs the test suite with the system clock moved, so that no test depends on the day it runs:
#   bash scripts/test-moved-clock.sh years-ahead   # 2036-02-28 23:56 UTC: ten years on, across a leap day
#   bash scripts/test-moved-clock.sh dst           # 2027-03-14 01:56 in New York, across the change to summer time
#   bash scripts/test-moved-clock.sh <UTC instant> [<TZ>] [-- <npm test arguments>]
# The clock moves by a fixed offset (libfaketime, Debian's package faketime), so every process the
# tests start (servers, the agent, Chromium) sees the same moved clock, which then runs at its
# normal pace and crosses the boundary a few minutes into the run. The monotonic clock is left
# alone: timers and elapsed-time measurements behave as usual. PostgreSQL runs outside the moved
# clock, as a database server on another host may: Keyshift never asks the database for the time.
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in
  years-ahead) instant='2036-02-28T23:56:00Z'; zone=UTC; shift ;;
  dst) instant='2027-03-14T06:56:00Z'; zone=America/New_York; shift ;; # 01:56 EST; 02:00 becomes 03:00 EDT
  '' | -h | --help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  *) instant=$1; zone=${2:-UTC}; shift; [ $# -gt 0 ] && [ "$1" != -- ] && shift ;;
esac
[ "${1:-}" = -- ] && shift

if ! command -v faketime >/dev/null; then
  echo "test-moved-clock: faketime is not installed (Debian: apt-get install faketime)" >&2
  exit 1
fi
target=$(date -u -d "$instant" +%s)
offset=$((target - $(date -u +%s)))
echo "test-moved-clock: the clock reads $(TZ=$zone date -d "@$target" '+%Y-%m-%d %H:%M:%S %Z') (TZ=$zone, offset ${offset} s)"
# FAKETIME_DONT_FAKE_MONOTONIC: only the wall clock moves. The multi-threaded variant (-m) because
# Node runs threads (libuv's pool, workers).
export FAKETIME_DONT_FAKE_MONOTONIC=1
TZ=$zone exec faketime -m -f "+${offset}s" npm test -- "$@"
