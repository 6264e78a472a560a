# shellcheck shell=bash
# Sourced by test.sh. Reads VSTest .trx files directly, because dotnet test's
# console summary is per run, localised and changes between SDKs, while the
# trx outcome attribute is a stable schema.

# trx_summary FILE
# First line: "<passed> <failed> <skipped> <total>".
# Then one line per failed result: "<testName> (<outcome>)".
# Plain awk (mawk on Debian) so nothing beyond the base image is needed.
trx_summary() {
  awk '
    function attr(tag, name,   v) {
      # Values never hold a raw quote (XML writes &quot;), so [^"]* is exact.
      if (!match(tag, "(^|[ \t\r\n])" name "=\"[^\"]*\"")) return ""
      v = substr(tag, RSTART, RLENGTH)
      sub(/^[ \t\r\n]*[A-Za-z]+="/, "", v)
      sub(/"$/, "", v)
      return v
    }
    function unxml(s) {
      gsub(/&quot;/, "\"", s); gsub(/&apos;/, "\047", s)
      gsub(/&lt;/, "<", s);    gsub(/&gt;/, ">", s)
      gsub(/&#xA;|&#10;/, " ", s); gsub(/&#xD;|&#13;/, "", s)
      gsub(/&amp;/, "\\&", s)
      return s
    }
    BEGIN { RS = "<UnitTestResult[ \t\r\n]"; p = f = s = 0; nf = 0 }
    NR > 1 {
      # Only the start tag: everything up to the first ">" outside a quoted
      # value, so text in <Output>/<ErrorInfo> can never be misread.
      match($0, /^([^">]|"[^"]*")*/)
      tag = substr($0, 1, RLENGTH)
      o = attr(tag, "outcome")
      if (o == "Passed") p++
      else if (o == "NotExecuted" || o == "Inconclusive" || o == "Skipped" || o == "NotRunnable" || o == "Pending") s++
      else {
        # Failed, Error, Timeout, Aborted and anything unknown: a result we
        # cannot call a pass must not be hidden.
        f++
        failed[++nf] = unxml(attr(tag, "testName")) " (" (o == "" ? "no outcome" : o) ")"
      }
    }
    END {
      print p, f, s, p + f + s
      for (i = 1; i <= nf; i++) print failed[i]
    }
  ' "$1"
}

# trx_run_errors FILE
# How many run-level errors the trx records (<RunInfo outcome="Error">) that are not a failed test: xUnit's "[FATAL ERROR]"
# and "Catastrophic failure: Test process crashed" land there, while dotnet test may still exit 0 and every recorded result
# pass — the tests that were running or still queued when the process died are simply missing. VSTest also files each
# xUnit "[FAIL]" line of a failing test as an Error RunInfo; that test is already counted among the failed results.
trx_run_errors() {
  awk '
    BEGIN { RS = "<RunInfo[ \t\r\n]"; n = 0 }
    NR > 1 {
      match($0, /^[^>]*>/)
      if (substr($0, 1, RLENGTH) !~ /outcome="Error"/) next
      body = substr($0, 1, index($0, "</RunInfo>"))
      if (body ~ /\[FAIL\]/) next
      n++
    }
    END { print n }
  ' "$1"
}
