#!/bin/sh
# Run once by the postgres image when it initialises its data folder
# (docker-compose.yml mounts this into /docker-entrypoint-initdb.d): the API's
# read-only role. Default privileges make every table the admin creates later
# (the migrations) readable by it and by nothing more.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v pw="$API_DB_PASSWORD" -v db="$POSTGRES_DB" -v owner="$POSTGRES_USER" -v role="${API_DB_ROLE:-icn_api_ro}" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'pw' NOSUPERUSER NOCREATEDB NOCREATEROLE;
ALTER ROLE :"role" SET default_transaction_read_only = on;
GRANT CONNECT ON DATABASE :"db" TO :"role";
GRANT USAGE ON SCHEMA public TO :"role";
GRANT SELECT ON ALL TABLES IN SCHEMA public TO :"role";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT SELECT ON TABLES TO :"role";
-- A multi-chain network's indexer creates a schema per chain (chain_<name>) later: readable too.
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" GRANT USAGE ON SCHEMAS TO :"role";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" GRANT SELECT ON TABLES TO :"role";
SQL
