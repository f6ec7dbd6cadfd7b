#!/bin/sh
# The build of the sample "web": its project file must be there.
set -e
test -f pom.xml
