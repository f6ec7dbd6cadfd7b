#!/bin/sh
# The build of the sample "shop": its one artefact must be there.
set -e
test -f app.txt
