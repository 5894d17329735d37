#!/bin/sh
# Lets the optional streaming replica (docker compose --profile replica) take
# a base backup and stream from this server: one pg_hba line for replication
# connections from the compose network, password-checked. Run once, by the
# postgres image, when the data folder is first initialised.
set -eu
echo "host replication ${POSTGRES_USER} all scram-sha-256" >> "$PGDATA/pg_hba.conf"
