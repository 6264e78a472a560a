#!/usr/bin/env bash
# Run (not sourced) by test.sh, so that set -e really applies: inside an
# "if ! ensure_deps" it would be silently off. Also usable by hand:
#   sudo scripts/ensure-deps.sh
# Installs what the test suite needs on a fresh Debian 12 machine; on one that
# already has everything it touches nothing (no apt-get update), so repeated
# local runs stay fast.

PG_MAJOR=15
PG_BIN=/usr/lib/postgresql/${PG_MAJOR}/bin
PGVECTOR_VERSION=0.8.0
PGVECTOR_CONTROL=/usr/share/postgresql/${PG_MAJOR}/extension/vector.control
# pgvector is not packaged for bookworm; trixie's source package builds cleanly
# against bookworm's PostgreSQL 15. Only deb-src is added so no trixie binary
# can ever be pulled into this bookworm system.
TRIXIE_SRC_LIST=/etc/apt/sources.list.d/aperture-trixie-src.sources

_as_root() {
  if [[ ${EUID} -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

_pkg_installed() {
  [[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" == installed ]]
}

# Prints the apt packages that are missing, one per line. A file check is added
# where the suite depends on an exact path, in case a package is installed but
# the path was removed by hand.
missing_packages() {
  _pkg_installed chromium && [[ -x /usr/bin/chromium ]] || echo chromium
  _pkg_installed postgresql-${PG_MAJOR} && [[ -x ${PG_BIN}/pg_ctl && -x ${PG_BIN}/initdb ]] \
    || echo postgresql-${PG_MAJOR}
  _pkg_installed postgresql-server-dev-${PG_MAJOR} && [[ -x ${PG_BIN}/pg_config ]] \
    || echo postgresql-server-dev-${PG_MAJOR}
  _pkg_installed build-essential || echo build-essential
  _pkg_installed dpkg-dev && command -v dpkg-source >/dev/null || echo dpkg-dev
}

pgvector_installed_version() {
  sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" "${PGVECTOR_CONTROL}" 2>/dev/null || true
}

_write_trixie_src_list() {
  [[ -f ${TRIXIE_SRC_LIST} ]] && return 0
  _as_root tee "${TRIXIE_SRC_LIST}" >/dev/null <<'SRC'
# Added by Aperture's test.sh: source only, to build pgvector (not in bookworm).
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
}

build_pgvector() {
  local work start
  start=${SECONDS}
  work=$(mktemp -d /tmp/pgvector-build.XXXXXX)
  # apt-get source run as root downloads as user _apt, which needs to write
  # here; otherwise apt warns and falls back to an unsandboxed download.
  chmod 755 "${work}"
  if [[ ${EUID} -eq 0 ]] && id _apt >/dev/null 2>&1; then chown _apt "${work}"; fi
  (
    trap 'rm -rf "${work}"' EXIT
    cd "${work}" || exit 1
    apt-get source --only-source "pgvector/trixie"
    local src
    src=$(find . -maxdepth 1 -type d -name "pgvector-${PGVECTOR_VERSION}*" | head -n1)
    if [[ -z ${src} ]]; then
      echo "ERROR: apt-get source did not give pgvector ${PGVECTOR_VERSION}; got:" >&2
      ls -1 >&2
      exit 1
    fi
    cd "${src}" || exit 1
    # OPTFLAGS= drops pgvector's default -march=native, as Debian's own build
    # does: a machine image may be resumed on a different CPU.
    make -j"$(nproc)" OPTFLAGS= PG_CONFIG="${PG_BIN}/pg_config"
    _as_root make install OPTFLAGS= PG_CONFIG="${PG_BIN}/pg_config"
  )
  echo "pgvector build+install took $((SECONDS - start)) s"
  local got
  got=$(pgvector_installed_version)
  if [[ ${got} != "${PGVECTOR_VERSION}" ]]; then
    echo "ERROR: installed pgvector is '${got}', expected ${PGVECTOR_VERSION}" >&2
    return 1
  fi
}

ensure_deps() {
  local missing need_vector=0
  mapfile -t missing < <(missing_packages)
  [[ -f ${PGVECTOR_CONTROL} ]] || need_vector=1

  if [[ ${#missing[@]} -eq 0 && ${need_vector} -eq 0 ]]; then
    echo "deps: all present (chromium, postgresql-${PG_MAJOR}, pgvector $(pgvector_installed_version))"
    return 0
  fi

  if [[ ${need_vector} -eq 1 ]]; then _write_trixie_src_list; fi
  local what=("${missing[@]}")
  if [[ ${need_vector} -eq 1 ]]; then what+=("pgvector ${PGVECTOR_VERSION} (built from trixie source)"); fi
  echo "deps: missing: ${what[*]}"
  # One update covers both the binary installs and the trixie deb-src index.
  # Recommends are kept on purpose: chromium's pull in fonts-liberation and the
  # Mesa drivers that headless rendering of the E2E pages relies on.
  _as_root apt-get update -q
  if [[ ${#missing[@]} -gt 0 ]]; then
    _as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
  fi
  if [[ ${need_vector} -eq 1 ]]; then
    build_pgvector
  elif [[ "$(pgvector_installed_version)" != "${PGVECTOR_VERSION}" ]]; then
    echo "WARNING: pgvector $(pgvector_installed_version) is installed, tests expect ${PGVECTOR_VERSION}" >&2
  fi
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  set -euo pipefail
  ensure_deps
fi
