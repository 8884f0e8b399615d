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
t=$SECONDS
status=0
node scripts/run-tests.mjs test/real || status=$?
echo "test:real: suites took $((SECONDS - t)) s"
if [ "${PUMPHOUSE_TESTBED_DOWN:-0}" = 1 ]; then $SUDO bash "$testbed/down.sh"; fi
exit $status
