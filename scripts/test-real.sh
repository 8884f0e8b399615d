#!/usr/bin/env bash
# Brings up the two real OpenStack Zed clouds of ../shared/testbed (idempotent: a running
# testbed is reused) and runs the real-cloud suites in test/real/. The clouds are left running
# for the next run unless PUMPHOUSE_TESTBED_DOWN=1.
set -euo pipefail
cd "$(dirname "$0")/.."
testbed=${PUMPHOUSE_TESTBED:-$(cd .. && pwd)/shared/testbed}
if [ ! -x "$testbed/up.sh" ]; then
  echo "test:real: no testbed at $testbed (set PUMPHOUSE_TESTBED)" >&2
  exit 1
fi
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
t=$SECONDS
$SUDO bash "$testbed/install.sh"
$SUDO bash "$testbed/up.sh"
echo "test:real: testbed ready in $((SECONDS - t)) s"
export PUMPHOUSE_REAL_CLOUDS=${PUMPHOUSE_REAL_CLOUDS:-/var/tmp/pumphouse-testbed/clouds.yaml}
# A run killed before its cleanup leaves test-prefixed objects (a flavor a later spec adopts,
# floating IPs, projects...) that break later runs: remove them first (test/real/sweep.ts). The
# sweep deletes every test's objects, so two runs on one testbed must not overlap: the lock
# makes a second run wait for the first.
lock=${TMPDIR:-/tmp}/pumphouse-test-real.lock
exec 9>>"$lock"
if ! flock -n 9; then
  echo "test:real: another run holds $lock; waiting for it"
  flock 9
fi
t=$SECONDS
node --import tsx scripts/sweep-testbed.ts
echo "test:real: sweep took $((SECONDS - t)) s"
t=$SECONDS
status=0
node scripts/run-tests.mjs test/real || status=$?
echo "test:real: suites took $((SECONDS - t)) s"
if [ "${PUMPHOUSE_TESTBED_DOWN:-0}" = 1 ]; then $SUDO bash "$testbed/down.sh"; fi
exit $status
