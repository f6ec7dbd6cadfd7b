#!/usr/bin/env python3
"""Launch to first answered command (docs/performance.md, "Start-up against Apache Karaf").

Times, from the process's start to the first line it answers on standard output, from a fresh data folder each time:
  - bin/harmonix --features harmonix-core exec 'agent:list'  (the core feature)
  - bin/harmonix exec 'agent:list'                           (the default features of etc/harmonix.properties)
  - Apache Karaf 4.4.8 minimal: bin/karaf (its console) given 'echo ...' on standard input, timed to the echoed
    answer; its data/ folder reset to the distribution's before each start. Karaf's console is how Karaf answers a
    first command without a second process (bin/client would add its own JVM start); its bin/shell runs commands
    outside OSGi altogether, so it would not be a like-for-like start.
The three run in turn, round after round (so that a slower minute of the machine affects all three), with the same
JVM (JAVA_HOME, default: the java on the PATH); medians, min and max per command, and the ratios of medians.

usage: distribution/bench/start-up.py DIST [DIST...] [ROUNDS]
  DIST    an assembled distribution (distribution/target/harmonix-0.1.0-SNAPSHOT); its lib/harmonix.jsa is used
          when it fits (bin/harmonix cds makes it). Several (a copy of the runtime before a change, and after it)
          are measured in the same rounds, beside the same Karaf, so that their ratios are of one run
  ROUNDS  default 10, after one warm-up round (the operating system's file cache)
Karaf is downloaded from Maven Central into distribution/target/bench/ (checked against its published SHA-1).
"""
import hashlib
import os
import select
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request

KARAF = "4.4.8"
CENTRAL = "https://repo1.maven.org/maven2/org/apache/karaf/apache-karaf-minimal/%s/apache-karaf-minimal-%s.tar.gz"
ANSWER = "harmonix-bench-answer"


def karaf_home(bench):
    home = os.path.join(bench, "apache-karaf-minimal-" + KARAF)
    if os.path.isdir(home):
        return home
    os.makedirs(bench, exist_ok=True)
    url = CENTRAL % (KARAF, KARAF)
    archive = os.path.join(bench, os.path.basename(url))
    urllib.request.urlretrieve(url, archive)
    expected = urllib.request.urlopen(url + ".sha1").read().decode().split()[0]
    with open(archive, "rb") as f:
        actual = hashlib.sha1(f.read()).hexdigest()
    if actual != expected:
        sys.exit("%s: SHA-1 %s, Maven Central says %s" % (archive, actual, expected))
    with tarfile.open(archive) as t:
        t.extractall(bench)
    shutil.copytree(os.path.join(home, "data"), os.path.join(bench, "karaf-data-pristine"))
    return home


def first_line(cmd, cwd, env, stdin=b"", until=None):
    """Seconds from the start of cmd to its first line of output (or the first line equal to `until`)."""
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    if stdin:
        p.stdin.write(stdin)
        p.stdin.flush()
    seen = b""
    answered = None
    while answered is None:
        ready, _, _ = select.select([p.stdout], [], [], 120)
        if not ready:
            p.kill()
            raise RuntimeError("%s: no answer within 120 s" % cmd)
        chunk = os.read(p.stdout.fileno(), 65536)
        if not chunk:
            raise RuntimeError("%s ended without answering (exit %s)" % (cmd, p.wait()))
        seen += chunk.replace(b"\r", b"")
        lines = seen.split(b"\n")[:-1]
        if until is None and lines:
            answered = time.monotonic() - t0
        elif until is not None and any(line.strip() == until.encode() for line in lines):
            answered = time.monotonic() - t0
    if until is not None:
        p.stdin.write(b"shutdown -f\n")
        p.stdin.flush()
    p.stdin.close()
    # the rest of the output is read until the end, so that a full pipe never holds the process up
    while os.read(p.stdout.fileno(), 65536):
        pass
    if p.wait(120) != 0 and until is None:
        raise RuntimeError("%s: exit %d" % (cmd, p.returncode))
    return answered


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    args = sys.argv[1:]
    rounds = int(args.pop()) if len(args) > 1 and args[-1].isdigit() else 10
    dists = [os.path.abspath(a) for a in args]
    bench = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "target", "bench")
    karaf = karaf_home(os.path.abspath(bench))
    pristine = os.path.join(os.path.dirname(karaf), "karaf-data-pristine")
    env = dict(os.environ)
    java = shutil.which("java")
    env.setdefault("JAVA_HOME", os.path.dirname(os.path.dirname(os.path.realpath(java))))
    env.pop("HARMONIX_JAVA_OPTS", None)
    env.pop("HARMONIX_DATA", None)

    def harmonix(dist, features):
        def run():
            with tempfile.TemporaryDirectory() as data:
                args = [os.path.join(dist, "bin", "harmonix"), "--data", data]
                if features:
                    args += ["--features", features]
                return first_line(args + ["exec", "agent:list"], dist, env)
        return run

    def karaf_console():
        shutil.rmtree(os.path.join(karaf, "data"), ignore_errors=True)
        shutil.copytree(pristine, os.path.join(karaf, "data"))
        return first_line([os.path.join(karaf, "bin", "karaf")], karaf, env, ("echo %s\n" % ANSWER).encode(),
                          until=ANSWER)

    measures = []
    for dist in dists:
        name = "" if len(dists) == 1 else " (%s)" % dist
        measures += [("harmonix, core feature" + name, harmonix(dist, "harmonix-core")),
                     ("harmonix, default features" + name, harmonix(dist, None))]
    measures.append(("Apache Karaf %s minimal, console" % KARAF, karaf_console))
    times = {name: [] for name, _ in measures}
    print("launch to first answered command, fresh data folder; %d rounds after 1 warm-up; %d cores; %s"
          % (rounds, os.cpu_count(), env["JAVA_HOME"]))
    for r in range(rounds + 1):
        for name, measure in measures:
            t = measure()
            if r > 0:
                times[name].append(t)
    karaf_median = statistics.median(times[measures[-1][0]])
    for name, _ in measures:
        ts = times[name]
        med = statistics.median(ts)
        print("%-36s  median %5.2f s  (min %5.2f, max %5.2f)  %.2f of Karaf" % (name, med, min(ts), max(ts),
                                                                              med / karaf_median))


if __name__ == "__main__":
    main()
