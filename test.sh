#!/usr/bin/env bash
# Runs every test project of Policy.sln. Extra arguments go to `dotnet test`.
set -euo pipefail
cd "$(dirname "$0")"
dotnet test Policy.sln -c Release "$@"
