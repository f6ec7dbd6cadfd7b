#!/bin/sh
# Cold and warm enhance:scan of Harmonix's own bundles/ in the packaged runtime: two scans in one process,
# each a one-cycle run; prints each run's duration from its recorded start and end.
cd "$1"
for agent in quality security architecture workflow; do
  for round in 1 2; do
    rm -rf data
    S="enhance:scan --target $2 --components bundles --agents $agent --fresh --deadline 5m"
    bin/harmonix exec "$S; $S; cycle:runs --json" 2>/dev/null | python3 -c '
import sys, json, datetime
text = sys.stdin.read()
runs = json.loads(text[text.rindex("\n[")+1:])
summary = [l for l in text.splitlines() if l.startswith(sys.argv[1] + ":") and "files" in l and "new" in l]
def t(s): return datetime.datetime.fromisoformat(s[:26].rstrip("Z"))
d = [(t(r["endedAt"]) - t(r["startedAt"])).total_seconds() for r in runs]
print(sys.argv[1], "cold %.1f s, warm %.1f s;" % (d[0], d[1]), summary[0] if summary else "")
' $agent
  done
done
