#!/usr/bin/env bash
# Autosave capacity of an earlier commit against the working tree, run alternately: this machine's speed drifts by a
# factor of two to three within an hour, so only runs a minute apart compare. Each run: gunicorn with 4 workers,
# 50 users saving 20 KB without pause for 25 s, each version with its own locustfile (its own way of sending).
#   benchmarks/compare_capacity.sh COMMIT [rounds]   (DATABASE_URL picks the database; benchmarks/prepare.py first,
#   its users in benchmarks/out/users.json: both versions must read the same schema)
set -euo pipefail
cd "$(dirname "$0")/.."
COMMIT=$1; ROUNDS=${2:-2}
OUT=benchmarks/out; OLD=$OUT/compare-$COMMIT
export SECRET_KEY=${SECRET_KEY:-bench-secret} BENCH_USERS=$PWD/$OUT/users.json
export DATABASE_URL=${DATABASE_URL:-sqlite:///$PWD/$OUT/bench.db}
[ -d "$OLD" ] || git worktree add -q "$OLD" "$COMMIT"
.venv/bin/pybabel compile -d "$OLD/simulator/translations" >/dev/null 2>&1
trap 'git worktree remove --force "$OLD"' EXIT
.venv/bin/python benchmarks/machine.py
for round in $(seq 1 "$ROUNDS"); do
  for version in "$COMMIT" working-tree; do
    dir=$PWD; [ "$version" = "$COMMIT" ] && dir=$PWD/$OLD
    .venv/bin/gunicorn --chdir "$dir" --workers 4 --bind 127.0.0.1:5057 --log-level warning "simulator:create_app()" &
    server=$!
    for i in $(seq 1 50); do curl -fs http://127.0.0.1:5057/healthz >/dev/null && break; sleep 0.2; done
    BENCH_MODE=autosave-max .venv/bin/locust -f "$dir/benchmarks/locustfile.py" --headless -u 50 -r 50 -t 25s \
      -H http://127.0.0.1:5057 --csv "$OUT/compare" --only-summary >/dev/null 2>&1
    kill $server; wait $server 2>/dev/null || true
    .venv/bin/python - "$round" "$version" <<'PY'
import csv, sys
row = next(r for r in csv.DictReader(open("benchmarks/out/compare_stats.csv")) if r["Name"] == "Aggregated")
print(f"round {sys.argv[1]}, {sys.argv[2]}: {float(row['Requests/s']):.1f} saves/s, {row['Failure Count']} failures, "
      f"p50 {row['50%']} ms, p99 {row['99%']} ms")
PY
  done
done
