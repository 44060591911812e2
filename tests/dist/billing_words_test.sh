#!/usr/bin/env bash
# "May still be billed" is a field of the error (may_be_billed), worded once, by
# pictor::user_message (core/error.cpp): no layer decides anything by searching a message for
# "bill", and no other library message says the request may be billed.
#
#   billing_words_test.sh SOURCE_DIR
set -euo pipefail
cd "$1"
status=0
code_files() {
  grep -rnE "$1" --include='*.cpp' --include='*.hpp' --include='*.c' --include='*.h' --include='*.py' \
    core abi commands host-adapters 2>/dev/null | grep -vE '^[^:]+:[0-9]+:\s*(//|#|/?\*)' || true
}
# A search call (find, strstr, mentions, contains, search, count, index) given a text with
# "bill" in it, or Python's `"bill" in message`.
searches=$(code_files '(find|strstr|strcasestr|mentions|contains|search|count|index|g_strrstr)\s*\([^;]*"[^"]*[Bb]ill|"[^"]*[Bb]ill[^"]*"\s+(not\s+)?in\b')
if [ -n "$searches" ]; then
  echo "FAIL: a message is searched for \"bill\" (decide from may_be_billed instead):"
  echo "$searches"
  status=1
fi
# The library's messages leave the billing note to user_message.
worded=$(grep -rnE '"[^"]*(may (still )?(be )?bill|bills? it\b|and bill)' --include='*.cpp' --include='*.hpp' \
           --include='*.c' --include='*.h' core abi commands 2>/dev/null \
         | grep -vE '^[^:]+:[0-9]+:\s*(//|/?\*)' | grep -v '^core/error.cpp:' || true)
if [ -n "$worded" ]; then
  echo "FAIL: a library message words the billing note itself (user_message in core/error.cpp owns it):"
  echo "$worded"
  status=1
fi
[ $status -eq 0 ] && echo "no message searched for \"bill\"; the billing note is worded once"
exit $status
