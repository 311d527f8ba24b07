#!/usr/bin/env bash
# The PostgreSQL half of the suite needs the local server at 127.0.0.1:5432.
# Start the packaged cluster when it is installed but not running.
set -euo pipefail
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  exit 0
fi
if ! ls /etc/postgresql >/dev/null 2>&1; then
  echo "PostgreSQL is not installed here: no server at 127.0.0.1:5432 and no /etc/postgresql." >&2
  exit 1
fi
version=$(ls /etc/postgresql | sort -V | tail -n 1)
echo "Starting PostgreSQL $version..."
pg_ctlcluster --skip-systemctl-redirect "$version" main start
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && exit 0
  sleep 1
done
echo "PostgreSQL did not come up at 127.0.0.1:5432 within 30 s." >&2
exit 1
