#!/bin/sh
# Releases the current API into the baseline repository (distribution/baseline/repository), the one the build baselines against.
#
#   distribution/baseline/release.sh VERSION [maven options for the build, e.g. -o]      e.g. distribution/baseline/release.sh 0.2.0
# (deploy-file itself never runs offline: Maven refuses to deploy in offline mode, even to a file repository)
#
# 1. builds the bundles that are baselined (the modules whose pom declares bnd-baseline-maven-plugin) from this
#    checkout, without the baseline check (the API may have moved on from the old release: that is what is released);
# 2. deploys each bundle jar as io.harmonix:<artifactId>:VERSION into distribution/baseline/repository (jar, a pom without parent,
#    maven-metadata.xml, checksums);
# 3. sets harmonix.baseline.version in pom.xml to VERSION.
# Then commit distribution/baseline/ and pom.xml. A version already in the repository is refused: releases are immutable.
set -eu
[ $# -ge 1 ] || { echo "usage: $0 VERSION [maven options...]" >&2; exit 2; }
version=$1; shift
root=$(cd "$(dirname "$0")/../.." && pwd)
repo=$root/distribution/baseline/repository
cd "$root"

modules=$(grep -l '<artifactId>bnd-baseline-maven-plugin</artifactId>' bundles/*/pom.xml | xargs -n1 dirname | tr '\n' ',' | sed 's/,$//')
[ -n "$modules" ] || { echo "no module declares bnd-baseline-maven-plugin" >&2; exit 1; }
for m in $(echo "$modules" | tr ',' ' '); do
  a=$(sed -n 's:^  <artifactId>\(.*\)</artifactId>$:\1:p' "$m/pom.xml" | head -1)
  if [ -e "$repo/io/harmonix/$a/$version" ]; then echo "$a $version is already released in $repo" >&2; exit 1; fi
done

echo "building $modules"
mvn -B -q "$@" package -DskipTests -Dbnd.baseline.skip=true -pl "$modules" -am

for m in $(echo "$modules" | tr ',' ' '); do
  a=$(sed -n 's:^  <artifactId>\(.*\)</artifactId>$:\1:p' "$m/pom.xml" | head -1)
  jar=$(ls "$m"/target/"$a"-*.jar | grep -v -e '-sources.jar$' -e '-javadoc.jar$' -e '-tests.jar$')
  echo "releasing $jar as io.harmonix:$a:$version"
  # a pom of its own (deploy-file would otherwise take the jar's embedded pom, whose parent is the -SNAPSHOT)
  pom=$m/target/baseline-release.pom
  cat > "$pom" <<POM
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>io.harmonix</groupId>
  <artifactId>$a</artifactId>
  <version>$version</version>
  <packaging>jar</packaging>
  <description>Harmonix API baseline: the bundle as released in $version (see docs/architecture.md)</description>
</project>
POM
  mvn -B -q -N deploy:deploy-file -Dfile="$jar" -DpomFile="$pom" -DrepositoryId=harmonix-baseline -Durl="file://$repo"
done

sed -i "s:<harmonix.baseline.version>[^<]*</harmonix.baseline.version>:<harmonix.baseline.version>$version</harmonix.baseline.version>:" pom.xml
echo "baseline repository now holds $version; harmonix.baseline.version=$version in pom.xml (commit distribution/baseline/ and pom.xml)"
du -sh "$repo"
