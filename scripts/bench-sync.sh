#!/usr/bin/env bash
# Sync ingest as a class pushes it (issue 16): 20 000 events, 16 learners, pushes of 100, 8
# concurrent clients, against the release server on a fresh database, beside raw SQLite with the
# same durability and batches in the same run; then pushes into a short and a long history, and
# acknowledged-vs-stored counts (also after a SIGKILL mid-run). Loopback only; bounded.
exec "$(dirname "$0")/bench-example.sh" bench_sync
