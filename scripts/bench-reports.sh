#!/usr/bin/env bash
# The educators' reports at the programme's scale (issue 16, goal 3): 10 020 learners × 200 events
# seeded into a fresh database (about 1 GB in a temporary directory, removed after), then the
# impact report and a class's dashboard through the release server. Loopback only; bounded.
exec "$(dirname "$0")/bench-example.sh" bench_reports
