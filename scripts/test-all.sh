#!/usr/bin/env bash
# The README's test command (`npm test`): build, lint, typecheck, unit tests (vitest), training
# pipeline tests (python unittest, when /usr/bin/python3 has numpy, torch and onnx), end-to-end tests (Playwright in
# Debian's chromium through the local HTTP host). Prints one plain closing line:
#   N passed, N failed, N skipped
# Lint, typecheck and the build each count as one check.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-results
passed=0; failed=0; skipped=0
check() { # name, command...
  local name=$1; shift
  printf '\n=== %s ===\n' "$name"
  if "$@"; then passed=$((passed + 1)); echo "[ok] $name"; else failed=$((failed + 1)); echo "[FAILED] $name"; fi
}

check "build" npx electron-vite build
check "lint" npx eslint .
check "typecheck" npx tsc --noEmit -p tsconfig.json

printf '\n=== unit tests (vitest) ===\n'
rm -f test-results/vitest.json
npx vitest run --reporter=default --reporter=json --outputFile=test-results/vitest.json
if [ -f test-results/vitest.json ]; then
  read -r p f s < <(node -e "const r=require('./test-results/vitest.json');console.log(r.numPassedTests, r.numFailedTests + (r.numRuntimeErrorTestSuites||0) + (r.numFailedTestSuites&&!r.numFailedTests?r.numFailedTestSuites:0), (r.numPendingTests||0)+(r.numTodoTests||0))")
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
else
  echo "vitest wrote no report"; failed=$((failed + 1))
fi

if [ -d training/tests ]; then
  printf '\n=== training pipeline tests (python unittest) ===\n'
  if /usr/bin/python3 -c 'import numpy, torch, onnx' >/dev/null 2>&1; then
    out=$(/usr/bin/python3 -m unittest discover -s training/tests -t . 2>&1); rc=$?
    echo "$out"
    ran=$(printf '%s\n' "$out" | sed -n 's/^Ran \([0-9]*\) tests\{0,1\}.*/\1/p' | tail -1); ran=${ran:-0}
    bad=$(printf '%s\n' "$out" | grep -o '\(failures\|errors\)=[0-9]*' | grep -o '[0-9]*' | awk '{s+=$1} END {print s+0}'); bad=${bad:-0}
    sk=$(printf '%s\n' "$out" | grep -o 'skipped=[0-9]*' | grep -o '[0-9]*' | tail -1); sk=${sk:-0}
    if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then bad=1; fi
    passed=$((passed + ran - bad - sk)); failed=$((failed + bad)); skipped=$((skipped + sk))
  else
    echo "skipped: /usr/bin/python3 lacks numpy, torch or onnx (apt-get install python3-numpy python3-torch python3-onnx)"; skipped=$((skipped + 1))
  fi
fi

printf '\n=== end-to-end tests (playwright, chromium) ===\n'
rm -f test-results/playwright.json
PLAYWRIGHT_JSON_OUTPUT_NAME=test-results/playwright.json npx playwright test --reporter=list,json
pw_rc=$?
if [ -f test-results/playwright.json ]; then
  # Errors outside any test (a web server that cannot start, a broken config) leave every count at 0:
  # they and a non-zero exit code count as a failure, so a run where nothing ran is never green.
  read -r p f s e < <(node -e "const r=require('./test-results/playwright.json'),s=r.stats;console.log(s.expected+(s.flaky||0), s.unexpected, s.skipped, (r.errors||[]).length)")
  if [ "$f" -eq 0 ] && { [ "$e" -gt 0 ] || [ "$pw_rc" -ne 0 ]; }; then
    echo "playwright failed outside the tests (exit $pw_rc, $e error(s))"; f=1
  fi
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
else
  echo "playwright wrote no report"; failed=$((failed + 1))
fi

printf '\n%s passed, %s failed, %s skipped\n' "$passed" "$failed" "$skipped"
[ "$failed" -eq 0 ]
