#!/usr/bin/env bash
# The two-server test (tests/operations/test_two_servers.py) starts its own
# redis-server on a free port; production may run the same Debian package.
# Like install-browser.sh: nothing to do when it is already there.
set -euo pipefail
if command -v redis-server >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "Installing Debian redis-server for the two-server test..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server >/dev/null
# The test starts its own instance; the package's service is not needed for it.
redis-server --version
