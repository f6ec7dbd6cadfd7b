#!/usr/bin/env python3
"""Launch to first answered command of several runtimes alternated start by start (docs/performance.md, "The bundle
cache in memory, one resolution, classes loaded ahead": the ratio of each cut).

usage: distribution/bench/start-up-ab.py ROUNDS RUNTIME [RUNTIME...]
  RUNTIME  an assembled distribution, or DIST=FEATURES to boot it with --features FEATURES
Each round starts every runtime once, in turn (`bin/harmonix --data FRESH exec agent:list`, timed to its first line
of output), after one warm-up round; prints each one's median, min and max and its ratio to the first one's median.
A copy of a distribution needs its own class-data archive (`bin/harmonix cds` in the copy): the archive fits one
folder only. Run it under the build lock, nothing else running: the machine's noise between two runs of the same
pair was up to 4 %.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time


def first_line(runtime):
    dist, _, features = runtime.partition("=")
    with tempfile.TemporaryDirectory() as data:
        args = [os.path.join(dist, "bin", "harmonix"), "--data", data]
        if features:
            args += ["--features", features]
        t0 = time.monotonic()
        p = subprocess.Popen(args + ["exec", "agent:list"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        if not p.stdout.readline():
            raise RuntimeError("%s answered nothing (exit %s)" % (runtime, p.wait()))
        answered = time.monotonic() - t0
        p.stdout.read()
        if p.wait() != 0:
            raise RuntimeError("%s: exit %d" % (runtime, p.returncode))
        return answered


def main():
    if len(sys.argv) < 3 or not sys.argv[1].isdigit():
        sys.exit(__doc__)
    rounds, runtimes = int(sys.argv[1]), sys.argv[2:]
    env_opts = os.environ.pop("HARMONIX_JAVA_OPTS", None)
    if env_opts:
        print("HARMONIX_JAVA_OPTS ignored: %s" % env_opts)
    times = {r: [] for r in runtimes}
    for n in range(rounds + 1):
        for r in runtimes:
            t = first_line(r)
            if n > 0:
                times[r].append(t)
    base = statistics.median(times[runtimes[0]])
    for r in runtimes:
        ts = times[r]
        print("%-60s median %.3f s (min %.3f, max %.3f)  %.3f of the first" % (r, statistics.median(ts), min(ts),
                                                                             max(ts), statistics.median(ts) / base))


if __name__ == "__main__":
    main()
