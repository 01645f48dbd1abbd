#!/usr/bin/env bash
# Runs every test project of Policy.sln. Extra arguments go to `dotnet test`.
# A test that runs for 10 minutes is taken as hung: its test host is stopped and the run fails,
# naming the test, instead of holding CI until its own limit.
set -euo pipefail
cd "$(dirname "$0")"
dotnet test Policy.sln -c Release --blame-hang-timeout 10m --blame-hang-dump-type none "$@"
