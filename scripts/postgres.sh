# shellcheck shell=bash
# Sourced by test.sh. A throwaway PostgreSQL 15 cluster for one test run: fresh
# data dir in /tmp, loopback only, gone after pg_stop. Sets PG_PORT, PG_PASSWORD,
# PG_DIR on success.

PG_MAJOR=${PG_MAJOR:-15}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/${PG_MAJOR}/bin}
PG_DIR=
PG_PORT=
PG_PASSWORD=

# PostgreSQL refuses to run as root, so root runs it as the 'postgres' user the
# package creates; an ordinary developer account runs it as itself.
_pg_user_run() {
  if [[ ${EUID} -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

_port_busy() {
  # bash's /dev/tcp connect succeeds only if something listens there.
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Runs SQL through the private unix socket (trust, see pg_start).
pg_psql() {
  _pg_user_run "${PG_BIN}/psql" -X -q -v ON_ERROR_STOP=1 \
    -h "${PG_DIR}/socket" -p "${PG_PORT}" -U postgres "$@"
}

pg_start() {
  local first_port=${1:-55432} tries=20 port
  if [[ ! -x ${PG_BIN}/initdb ]]; then
    echo "postgres: ${PG_BIN}/initdb not found" >&2
    return 1
  fi
  if [[ ${EUID} -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
    echo "postgres: no 'postgres' user to run the server as" >&2
    return 1
  fi

  # Fixed /tmp rather than $TMPDIR: the postgres user must be able to reach it,
  # and a TMPDIR under /root would not allow that.
  # pg_start runs inside "if", where set -e is off: each step checks itself.
  PG_DIR=$(mktemp -d /tmp/aperture-pg.XXXXXX) || return 1
  mkdir -p "${PG_DIR}/socket" || return 1
  if [[ ${EUID} -eq 0 ]]; then chown -R postgres:postgres "${PG_DIR}" || return 1; fi
  PG_PASSWORD=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
  [[ ${#PG_PASSWORD} -eq 32 ]] || return 1
  printf '%s\n' "${PG_PASSWORD}" >"${PG_DIR}/pwfile" || return 1
  if [[ ${EUID} -eq 0 ]]; then chown postgres:postgres "${PG_DIR}/pwfile" || return 1; fi
  chmod 600 "${PG_DIR}/pwfile" || return 1

  # TCP on 127.0.0.1 needs the random password: any local user or process can
  # reach loopback, and the tests connect exactly like an app would (Npgsql
  # with a password). The unix socket lives in a 0700 dir owned by the server
  # user, so trust there only lets this script's own psql calls in.
  if ! (cd "${PG_DIR}" && _pg_user_run "${PG_BIN}/initdb" -D "${PG_DIR}/data" \
      -U postgres --pwfile="${PG_DIR}/pwfile" --auth-host=scram-sha-256 --auth-local=trust \
      -E UTF8 --locale=C.UTF-8 --no-sync >"${PG_DIR}/initdb.log" 2>&1); then
    echo "postgres: initdb failed:" >&2
    cat "${PG_DIR}/initdb.log" >&2
    return 1
  fi
  rm -f "${PG_DIR}/pwfile"

  # Speed over durability: the cluster is thrown away after the run.
  cat >>"${PG_DIR}/data/postgresql.conf" <<CONF || return 1
listen_addresses = '127.0.0.1'
unix_socket_directories = '${PG_DIR}/socket'
shared_buffers = 32MB
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
CONF

  port=${first_port}
  while ((tries-- > 0)); do
    if _port_busy "${port}"; then
      port=$((port + 1))
      continue
    fi
    # The port can still be taken between the check and the bind; then the
    # start fails and the next port is tried.
    if (cd "${PG_DIR}" && _pg_user_run "${PG_BIN}/pg_ctl" -D "${PG_DIR}/data" \
        -l "${PG_DIR}/server.log" -o "-p ${port}" -w -t 60 start >/dev/null); then
      PG_PORT=${port}
      break
    fi
    echo "postgres: start on port ${port} failed; log tail:" >&2
    tail -n 5 "${PG_DIR}/server.log" >&2 || true
    port=$((port + 1))
  done
  if [[ -z ${PG_PORT} ]]; then
    echo "postgres: could not start on any port from ${first_port}" >&2
    return 1
  fi

  local waited=0
  until "${PG_BIN}/pg_isready" -q -h 127.0.0.1 -p "${PG_PORT}"; do
    if ((waited++ >= 60)); then
      echo "postgres: not ready after 60 s" >&2
      return 1
    fi
    sleep 1
  done

  # The app's migrations need pgvector; fail here, with a clear message, rather
  # than in every postgres test.
  if ! pg_psql -d postgres -c 'CREATE DATABASE vector_check' \
      || ! pg_psql -d vector_check -c 'CREATE EXTENSION vector' \
      || ! pg_psql -d postgres -c 'DROP DATABASE vector_check'; then
    echo "postgres: CREATE EXTENSION vector failed" >&2
    return 1
  fi
  # Prove the password path the tests will use works too.
  if ! PGPASSWORD=${PG_PASSWORD} "${PG_BIN}/psql" -X -q -h 127.0.0.1 -p "${PG_PORT}" \
      -U postgres -d postgres -c 'SELECT 1' >/dev/null; then
    echo "postgres: password login over TCP failed" >&2
    return 1
  fi
}

# Safe to call any number of times, whether or not pg_start got far.
pg_stop() {
  [[ -n ${PG_DIR} && -d ${PG_DIR} ]] || return 0
  if [[ -f ${PG_DIR}/data/postmaster.pid ]]; then
    (cd "${PG_DIR}" && _pg_user_run "${PG_BIN}/pg_ctl" -D "${PG_DIR}/data" \
      -m immediate -w -t 30 stop >/dev/null 2>&1) || {
      local pid
      pid=$(head -n1 "${PG_DIR}/data/postmaster.pid" 2>/dev/null || true)
      # SIGQUIT is the postmaster's own "immediate shutdown".
      if [[ ${pid} =~ ^[0-9]+$ ]]; then kill -QUIT "${pid}" 2>/dev/null || true; sleep 1; fi
    }
  fi
  rm -rf "${PG_DIR}"
  PG_DIR=
}
