#!/bin/sh
# DependencyLockTest: the version of log4j-core that pom.xml declares is the one deps.lock pins.
set -e
declared=$(grep -A1 '<artifactId>log4j-core</artifactId>' pom.xml | sed -n 's:.*<version>\(.*\)</version>.*:\1:p')
grep -qx "org.apache.logging.log4j:log4j-core:$declared" deps.lock || {
    echo "FAIL: DependencyLockTest: pom.xml declares log4j-core $declared, deps.lock pins $(grep log4j-core deps.lock)"
    exit 1
}
echo 'DependencyLockTest: 1 test passed'
