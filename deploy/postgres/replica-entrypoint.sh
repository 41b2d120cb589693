#!/bin/bash
# A streaming replica of the primary: on first start, copy it with pg_basebackup (-R writes
# standby.signal and primary_conninfo; -C -S a slot, so the primary keeps the WAL the replica
# still needs), then run the official entrypoint, which finds the folder made and starts postgres.
set -euo pipefail
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -h "$PRIMARY_HOST" -U replicator -d postgres; do sleep 1; done
  PGPASSWORD="$REPLICATION_PASSWORD" pg_basebackup -h "$PRIMARY_HOST" -U replicator -D "$PGDATA" -R -X stream -C -S replica_1 -P
  chmod 700 "$PGDATA"
fi
exec docker-entrypoint.sh postgres
