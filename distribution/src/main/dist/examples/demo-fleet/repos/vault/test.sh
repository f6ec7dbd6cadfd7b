#!/bin/sh
# The tests of the sample "vault": none yet.
true
