#!/bin/sh
# Fleet builds (docs/performance.md): the wall time of a fleet build against the sum of its repositories' check
# durations, with --parallel 1 and 2, on a packaged runtime. Six repositories of three levels (base; four depending
# on it; top depending on those four), each build and test a busy shell loop (CPU, not sleep: the overlap then shows
# what the cores allow), through the sandbox.
# usage: distribution/bench/fleet-build.sh DIST [LOOPS]   (DIST: an unpacked distribution, e.g.
#        distribution/target/harmonix-0.1.0-SNAPSHOT; its data/ and log/ are emptied; LOOPS: iterations of each
#        command's loop, default 200000, about half a second here)
set -eu
dist=$(cd "$1" && pwd)
loops=${2:-200000}
work=$(mktemp -d)
trap 'rm -rf "$work"; rm -f "$dist/etc/repositories.json"' EXIT
cd "$dist"
rm -rf data/* log/*
export GIT_CONFIG_NOSYSTEM=1 HOME="$work"
entries=""
for name in base m1 m2 m3 m4 top; do
    case $name in base) deps='[]' ;; top) deps='["m1","m2","m3","m4"]' ;; *) deps='["base"]' ;; esac
    mkdir -p "$work/$name"
    git -C "$work/$name" init -q -b main
    printf 'i=0; while [ $i -lt %s ]; do i=$((i+1)); done\n' "$loops" > "$work/$name/build.sh"
    cp "$work/$name/build.sh" "$work/$name/test.sh"
    git -C "$work/$name" add -A
    git -C "$work/$name" -c user.name=bench -c user.email=bench@example.org commit -q -m initial
    entries="$entries${entries:+,}{\"name\":\"$name\",\"path\":\"$work/$name\",\"build_command\":\"sh build.sh\",\"test_command\":\"sh test.sh\",\"dependencies\":$deps}"
done
echo "{\"repositories\":[$entries]}" > etc/repositories.json
bin/harmonix exec "repo:discover; repo:build --parallel 1 --json; repo:build --parallel 2 --json; repo:build --parallel 1 --json; repo:build --parallel 2 --json" > log/bench-fleet.json
python3 - log/bench-fleet.json <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
reports = [json.loads(p) for p in re.split(r'(?m)^(?=\{)', text) if p.startswith('{')]
for r in reports:
    if 'wallTimeMs' not in r:
        continue
    print("parallel %d: wall %.2f s, checks %.2f s, overlap %.2fx (%s)" % (r['parallel'], r['wallTimeMs'] / 1000,
          r['checkTimeMs'] / 1000, r['checkTimeMs'] / r['wallTimeMs'], r['state']))
PY
