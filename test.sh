#!/usr/bin/env bash
# shellcheck disable=SC2317  # stop_child/on_signal run from traps
# Builds Aperture once and runs Aperture.Tests and Aperture.E2E against SQLite
# and against a throwaway PostgreSQL 15 + pgvector. Installs missing system
# packages first (CI starts from a bare Debian 12 image), then checks every request
# the fakes received against ../shared/contracts (contract-journal). Extra arguments go to
# every `dotnet test`, e.g. ./test.sh --filter "FullyQualifiedName~Login".
# The last line is always "N passed, N failed, N skipped", counted from the
# .trx files.
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"
ROOT=${PWD}
OUT=${ROOT}/test-output
PROJECTS=(Aperture.Tests Aperture.E2E)
DATABASES=(sqlite postgres)
EXTRA_ARGS=("$@")
# A hung test would otherwise eat CI's whole time budget with no summary line.
HANG_TIMEOUT=${APERTURE_TEST_HANG_TIMEOUT:-20m}

# shellcheck source=scripts/postgres.sh
source scripts/postgres.sh
# shellcheck source=scripts/trx.sh
source scripts/trx.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# The E2E tests drive Debian's /usr/bin/chromium; no browser may be fetched.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

# dotnet test ignores Ctrl-C while a test is busy, and bash runs no trap while
# a foreground child runs, so the server would outlive an interrupted run.
# Hence: each dotnet test runs in the background in its own process group
# (testhost included), the script waits on it, and a signal ends that group.
CHILD_PGID=
run_killable() {
  setsid "$@" &
  CHILD_PGID=$!
  local rc=0
  wait "${CHILD_PGID}" || rc=$?
  CHILD_PGID=
  return "${rc}"
}
stop_child() {
  [[ -n ${CHILD_PGID} ]] || return 0
  kill -TERM -- "-${CHILD_PGID}" 2>/dev/null || return 0
  local _
  for _ in {1..20}; do
    kill -0 -- "-${CHILD_PGID}" 2>/dev/null || return 0
    sleep 0.5
  done
  kill -KILL -- "-${CHILD_PGID}" 2>/dev/null || true
}
on_signal() {
  trap - INT TERM
  echo "interrupted: stopping tests and PostgreSQL" >&2
  exit "$1"
}
trap 'stop_child; pg_stop' EXIT
trap 'on_signal 130' INT
trap 'on_signal 143' TERM

banner() { printf '\n==== %s\n' "$*"; }
loud() {
  printf '\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n' >&2
  printf '!!! %s\n' "$@" >&2
  printf '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\n' >&2
}

rm -rf "${OUT}"
mkdir -p "${OUT}"

banner "system dependencies"
if ! bash scripts/ensure-deps.sh; then
  echo "ERROR: installing system dependencies failed" >&2
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

banner "PostgreSQL ${PG_MAJOR}"
pg_ok=0
infra_failures=0
if pg_start 55432; then
  pg_ok=1
  export APERTURE_TEST_PG="Host=127.0.0.1;Port=${PG_PORT};Username=postgres;Password=${PG_PASSWORD};Database=postgres"
  echo "PostgreSQL ready on 127.0.0.1:${PG_PORT} (data in ${PG_DIR})"
elif [[ ${CI:-} == true ]]; then
  loud "PostgreSQL could not be started: under CI this is a failure." \
    "The postgres test runs are not run."
  infra_failures=1
  pg_stop
else
  loud "PostgreSQL could not be started: SKIPPING all APERTURE_TEST_DB=postgres runs." \
    "Only the SQLite runs below were tested. Under CI=true this would fail."
  pg_stop
fi

banner "build (Release)"
build_args=(-c Release -nologo)
# Lingering MSBuild/Roslyn servers are pointless on a one-shot CI machine.
if [[ ${CI:-} == true ]]; then build_args+=(--disable-build-servers); fi
build_start=${SECONDS}
if ! dotnet build Aperture.sln "${build_args[@]}" >"${OUT}/build.log" 2>&1; then
  echo "BUILD FAILED (full log: ${OUT}/build.log):" >&2
  # MSBuild repeats every error in its closing summary; keep the first copy.
  if ! grep -E ': (fatal )?error [A-Za-z]*[0-9]*:|error MSB|error NU' "${OUT}/build.log" \
      | awk '!seen[$0]++' >&2; then
    tail -n 40 "${OUT}/build.log" >&2
  fi
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi
echo "build OK in $((SECONDS - build_start)) s"

total_p=0 total_f=0 total_s=0
run_failures=0
rows=()
failed_names=()

# Every fake of every run appends each call it receives here; the contract step after the runs checks them all against
# ../shared/contracts. The journal test itself is left out of the runs (it would see half a journal) unless a developer's
# own --filter is given, under which it only skips.
export APERTURE_CONTRACT_JOURNAL="${OUT}/contract-journal"
run_filter=()
if [[ ${#EXTRA_ARGS[@]} -eq 0 ]]; then run_filter=(--filter "Category!=ContractJournal"); fi

for proj in "${PROJECTS[@]}"; do
  for db in "${DATABASES[@]}"; do
    run="${proj}-${db}"
    if [[ ${db} == postgres && ${pg_ok} -ne 1 ]]; then
      rows+=("$(printf '%-28s %s' "${run}" 'NOT RUN (no PostgreSQL)')")
      continue
    fi
    banner "${run}"
    trx="${OUT}/${run}.trx"
    if APERTURE_TEST_DB=${db} run_killable dotnet test "${proj}/${proj}.csproj" -c Release --no-build \
        --logger "trx;LogFileName=${run}.trx" --results-directory "${OUT}" \
        --blame-hang-timeout "${HANG_TIMEOUT}" --blame-hang-dump-type none \
        "${run_filter[@]}" "${EXTRA_ARGS[@]}"; then
      rc=0
    else
      rc=$?
    fi

    if [[ ! -s ${trx} ]]; then
      rows+=("$(printf '%-28s %s' "${run}" "CRASHED: no trx (exit ${rc})")")
      run_failures=$((run_failures + 1))
      continue
    fi

    mapfile -t summary < <(trx_summary "${trx}")
    read -r p f s t <<<"${summary[0]}"
    total_p=$((total_p + p)) total_f=$((total_f + f)) total_s=$((total_s + s))
    for name in "${summary[@]:1}"; do failed_names+=("[${run}] ${name}"); done

    note=
    errors=$(trx_run_errors "${trx}")
    if [[ ${rc} -ne 0 && ${f} -eq 0 ]]; then
      # e.g. the test host crashed or hung: the trx then lacks the lost tests.
      note="exit ${rc} without a failed test: run aborted?"
      run_failures=$((run_failures + 1))
    elif [[ ${errors} -gt 0 ]]; then
      # The test process died mid-run and dotnet test still exited 0: the tests it was running are missing, not passed.
      note="test process crashed (${errors} run errors in the trx): the tests it was running are missing"
      run_failures=$((run_failures + 1))
    elif [[ ${t} -eq 0 ]]; then
      if [[ ${#EXTRA_ARGS[@]} -eq 0 ]]; then
        note="ran no test"
        run_failures=$((run_failures + 1))
      else
        # A developer's --filter may legitimately match nothing in one project.
        note="ran no test (extra args given: not counted as failure)"
      fi
    fi
    rows+=("$(printf '%-28s %6d %6d %7d   exit %-3d %s' "${run}" "${p}" "${f}" "${s}" "${rc}" "${note}")")
  done
done

# The contract step: every request the app sent to a fake in the runs above, checked against the real servers' API
# descriptions (routes, parameters, types, enum values, body fields). An empty or missing journal fails it.
run=contract-journal
banner "${run}"
trx="${OUT}/${run}.trx"
if APERTURE_CONTRACT_JOURNAL_VERIFY=1 run_killable dotnet test Aperture.Tests/Aperture.Tests.csproj -c Release --no-build \
    --logger "trx;LogFileName=${run}.trx" --results-directory "${OUT}" --filter "Category=ContractJournal"; then
  rc=0
else
  rc=$?
fi
if [[ ! -s ${trx} ]]; then
  rows+=("$(printf '%-28s %s' "${run}" "CRASHED: no trx (exit ${rc})")")
  run_failures=$((run_failures + 1))
else
  mapfile -t summary < <(trx_summary "${trx}")
  read -r p f s t <<<"${summary[0]}"
  total_p=$((total_p + p)) total_f=$((total_f + f)) total_s=$((total_s + s))
  for name in "${summary[@]:1}"; do failed_names+=("[${run}] ${name}"); done
  note=
  if [[ ${t} -eq 0 || ${s} -gt 0 ]]; then
    note="the journal check did not run"
    run_failures=$((run_failures + 1))
  elif [[ ${rc} -ne 0 && ${f} -eq 0 ]]; then
    note="exit ${rc} without a failed test: run aborted?"
    run_failures=$((run_failures + 1))
  fi
  rows+=("$(printf '%-28s %6d %6d %7d   exit %-3d %s' "${run}" "${p}" "${f}" "${s}" "${rc}" "${note}")")
fi

# Blame leaves empty per-run GUID folders behind; they only clutter test-output.
find "${OUT}" -mindepth 1 -type d -empty -delete 2>/dev/null || true

banner "summary"
printf '%-28s %6s %6s %7s\n' run passed failed skipped
printf '%s\n' "${rows[@]}"
if [[ ${#failed_names[@]} -gt 0 ]]; then
  echo
  echo "Failed tests:"
  printf '  %s\n' "${failed_names[@]}"
fi
if [[ ${infra_failures} -gt 0 ]]; then
  echo; echo "PostgreSQL failed to start (CI): counted as 1 failure."
elif [[ ${pg_ok} -ne 1 ]]; then
  echo; echo "WARNING: PostgreSQL could not be started; the postgres runs were NOT tested."
fi
echo "trx files: ${OUT}"

status=0
if [[ ${total_f} -gt 0 || ${run_failures} -gt 0 || ${infra_failures} -gt 0 ]]; then status=1; fi
if [[ ${total_p} -eq 0 ]]; then
  echo "No test passed at all: treating as failure."
  status=1
fi
# Non-test failures (crash, abort, empty run, no PostgreSQL in CI) are added to
# the failed count so the closing line never reads as green when exit is not 0.
echo "${total_p} passed, $((total_f + run_failures + infra_failures)) failed, ${total_s} skipped"
exit "${status}"
