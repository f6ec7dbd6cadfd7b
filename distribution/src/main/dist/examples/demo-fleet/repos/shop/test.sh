#!/bin/sh
# AppTest: the shop reports itself fixed. Red on main: the fix is the task of .harmonix/tasks.json.
set -e
grep -q 'status: fixed' app.txt || { echo 'FAIL: AppTest.status expected "fixed", was "'"$(cat app.txt)"'"'; exit 1; }
echo 'AppTest: 1 test passed'
