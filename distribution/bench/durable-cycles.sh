#!/bin/sh
# Durable cycles end to end (docs/performance.md): the cycles per second of one 2 000-cycle run of the sample agent
# on a packaged runtime, after a 200-cycle warm-up, on a fresh data folder; the rate is taken from the run's
# startedAt and endedAt in its --json.
# usage: distribution/bench/durable-cycles.sh DIST [AGENTS [FEATURES]]   (DIST: an unpacked distribution, e.g.
#        distribution/target/harmonix-0.1.0-SNAPSHOT; its data/ and log/ are emptied, before and after. AGENTS: the agents of the
#        run, default files; files,performance measures what the performance agent adds to every cycle. FEATURES:
#        the features booted instead of those of etc/harmonix.properties, e.g. the default set without
#        harmonix-metrics to measure what the metrics cost)
set -eu
dist=$(cd "$1" && pwd)
agents=${2:-files}
features=${3:+--features $3}
cd "$dist"
rm -rf data/* log/*
# exec mode runs on the quick compiler only (bin/harmonix); a run of thousands of cycles wants the optimizing one
HARMONIX_JAVA_OPTS="${HARMONIX_JAVA_OPTS:-} -XX:TieredStopAtLevel=4"
export HARMONIX_JAVA_OPTS
echo "directory = etc" > etc/io.harmonix.agent.files.cfg
# the copy is left as packaged (empty data/ and log/): the tests that copy DIST must not start from these runs' data
trap 'rm -rf "$dist/etc/io.harmonix.agent.files.cfg" "$dist"/data/* "$dist"/log/*' EXIT
bin/harmonix $features exec "cycle:run --id w0 --agents $agents --cycles 200 --interval 0ms --wait" > /dev/null
bin/harmonix $features exec "cycle:run --id p1 --agents $agents --cycles 2000 --interval 0ms --wait --json" > log/bench-run.json
python3 - log/bench-run.json <<'PY'
import json, sys, datetime
text = open(sys.argv[1]).read()
run = json.JSONDecoder().raw_decode(text[text.index('{'):])[0]
def at(t):
    return datetime.datetime.fromisoformat(t.replace('Z', '+00:00'))
seconds = (at(run['endedAt']) - at(run['startedAt'])).total_seconds()
print("%.0f cycles/s" % (2000 / seconds))
PY
