#!/usr/bin/env bash
# The library's messages are host-neutral: no string in core/, abi/ or commands/ names a command
# line option ("--size", "--timeout", "--keyring"); they name the request field ("size") and
# each host words it (host-adapters/cli/failure_report.cpp maps fields to options).
#
#   core_messages_test.sh SOURCE_DIR
set -euo pipefail
cd "$1"
# String literals only (comments may name options): a quote, then anything up to -- and a letter.
found=$(grep -rnE '"[^"]*(^|[ (])--[a-z]' --include='*.cpp' --include='*.hpp' --include='*.c' --include='*.h' \
          core abi commands 2>/dev/null | grep -vE '^[^:]+:[0-9]+:\s*//' || true)
if [ -n "$found" ]; then
  echo "FAIL: library messages name command-line options:"
  echo "$found"
  exit 1
fi
echo "no command-line option in a library message"
