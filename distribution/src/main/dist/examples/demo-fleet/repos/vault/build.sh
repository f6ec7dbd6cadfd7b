#!/bin/sh
# The build of the sample "vault": its configuration must be there (demo.sh writes config.properties, with the
# planted token, when it makes the repository).
set -e
test -f config.properties
