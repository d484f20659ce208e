#!/usr/bin/env bash
# Autosave load against gunicorn: N candidates saving 20 KB every 10 s, then the bare endpoint
# of the same server, and the ratio of the two throughputs. Figures go in docs/performance.md.
#   benchmarks/run_autosave.sh [candidates] [seconds] [workers]   (DATABASE_URL picks the database;
#   GUNICORN_ARGS adds worker settings, e.g. "--worker-class gthread --threads 4"; LOCUSTFILE another locustfile)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-3000}; SECONDS_RUN=${2:-60}; WORKERS=${3:-4}
OUT=benchmarks/out; mkdir -p $OUT
export SECRET_KEY=${SECRET_KEY:-bench-secret}
if [ -z "${DATABASE_URL:-}" ]; then export DATABASE_URL="sqlite:///$PWD/$OUT/bench.db"; rm -f $OUT/bench.db*; fi
if [[ "$DATABASE_URL" == postgresql* ]]; then
  .venv/bin/python - <<'PY'
import os, sqlalchemy as sa
engine = sa.create_engine(os.environ["DATABASE_URL"])
with engine.begin() as c:
    c.execute(sa.text("DROP SCHEMA public CASCADE")); c.execute(sa.text("CREATE SCHEMA public"))
PY
fi
.venv/bin/python benchmarks/prepare.py --candidates "$N" --out $OUT/users.json
.venv/bin/gunicorn --workers "$WORKERS" ${GUNICORN_ARGS:-} --bind 127.0.0.1:5055 --log-level warning "simulator:create_app()" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null' EXIT
for i in $(seq 1 50); do curl -fs http://127.0.0.1:5055/healthz >/dev/null && break; sleep 0.2; done
BENCH_MODE=autosave .venv/bin/locust -f ${LOCUSTFILE:-benchmarks/locustfile.py} --headless -u "$N" -r $((N / 20 + 1)) \
  -t "${SECONDS_RUN}s" -H http://127.0.0.1:5055 --csv $OUT/autosave --only-summary 2>&1 | tail -5
BENCH_MODE=autosave-max .venv/bin/locust -f benchmarks/locustfile.py --headless -u 50 -r 50 \
  -t 20s -H http://127.0.0.1:5055 --csv $OUT/autosave_max --only-summary 2>&1 | tail -3
BENCH_MODE=bare .venv/bin/locust -f benchmarks/locustfile.py --headless -u 50 -r 50 \
  -t 20s -H http://127.0.0.1:5055 --csv $OUT/bare --only-summary 2>&1 | tail -3
.venv/bin/python benchmarks/report.py $OUT
