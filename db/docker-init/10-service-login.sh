#!/bin/sh
# Runs once, when the Postgres volume is first initialised (docker-entrypoint-initdb.d): the
# login the API and workers use. It is a member of duban_app only — no superuser, not the
# owner — so it cannot step around the append-only audit grants the migrations set.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  --set=service_password="$DUBAN_SERVICE_PASSWORD" <<'SQL'
CREATE ROLE duban_app NOLOGIN;
CREATE ROLE duban_service LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'service_password' IN ROLE duban_app;
SQL
