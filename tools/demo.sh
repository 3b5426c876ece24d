#!/bin/sh
# `make demo`: imports fixtures/ into a fresh database under out/.
set -eu
cd "$(dirname "$0")/.."
mkdir -p out
rm -f out/demo.db
"$PMAUDIT" import --db out/demo.db fixtures/*.csv || [ $? -eq 1 ]
echo "database: out/demo.db"
