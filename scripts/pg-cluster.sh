#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the tests, in a folder of their own, on the loopback only.
#   scripts/pg-cluster.sh start DIR   makes a cluster in DIR/data (first time), starts it on a free
#                                     port of 127.0.0.1 and prints one line, its base URL:
#                                     postgres://postgres@127.0.0.1:PORT/postgres
#                                     (the tests make one database per test from it)
#   scripts/pg-cluster.sh stop DIR    stops it (fast: open connections are ended); nothing to do
#                                     when it is not running
# The server's log is DIR/log, its socket is in DIR. Anyone on this machine may connect through the
# loopback without a password, as superuser `postgres`: for tests only, never for data.
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[[ $# -eq 2 && ( $1 == start || $1 == stop ) ]] || usage
command=$1

# PostgreSQL refuses to run as root: root runs it as this system user, anyone else as themselves.
PG_USER=officina-pg

# The server's binaries (initdb, pg_ctl, postgres): where pg_config says, else the newest of
# Debian's versioned folders. pg_config may come from libpq-dev alone, without a server beside it.
find_bindir() {
  local dir
  if command -v pg_config > /dev/null; then
    dir=$(pg_config --bindir 2>/dev/null || true)
    if [[ -n $dir && -x $dir/initdb && -x $dir/pg_ctl ]]; then echo "$dir"; return; fi
  fi
  dir=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)
  if [[ -n $dir && -x $dir/initdb && -x $dir/pg_ctl ]]; then echo "$dir"; fi
}

# Debian's package, from its registry, which root reaches on the developers' machines and CI.
install_postgresql() {
  if [[ $EUID -ne 0 ]] || ! command -v apt-get > /dev/null; then
    echo "PostgreSQL's server (initdb, pg_ctl) was not found, and only root can install it:" \
      "run \`apt-get install postgresql\` as root (Debian), or put a PostgreSQL's bin folder in" \
      "pg_config's --bindir." >&2
    exit 1
  fi
  echo "==> PostgreSQL (Debian's postgresql package)" >&2
  # Everything apt says goes to stderr: stdout carries the URL alone.
  apt-get update -qq >&2
  # The package would make and start a cluster of its own on port 5432, which nothing here uses:
  # postgresql-common's setting says not to, and must be in place before the server's package.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-common >&2
  if ! grep -qE '^\s*create_main_cluster\s*=' /etc/postgresql-common/createcluster.conf; then
    echo 'create_main_cluster = false' >> /etc/postgresql-common/createcluster.conf
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >&2
}

bindir=$(find_bindir)
if [[ -z $bindir ]]; then
  if [[ $command == stop ]]; then exit 0; fi   # no server installed: none can be running
  install_postgresql
  bindir=$(find_bindir)
  [[ -n $bindir ]] || { echo "PostgreSQL was installed, but its initdb was not found" >&2; exit 1; }
fi

if [[ $command == stop && ! -d $2 ]]; then exit 0; fi
mkdir -p "$2"
dir=$(cd "$2" && pwd -P)
data=$dir/data
# The server's user may be unable to read the caller's working directory (root's home).
cd /

if [[ $EUID -eq 0 ]]; then
  if ! id -u "$PG_USER" > /dev/null 2>&1; then
    # Two clusters starting at once may both get here: whichever adds the user, it is there after.
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$PG_USER" 2>/dev/null ||
      id -u "$PG_USER" > /dev/null
  fi
  chown "$PG_USER:" "$dir"
  as_server() { runuser -u "$PG_USER" -- "$@"; }
  if ! as_server test -w "$dir"; then
    echo "$PG_USER cannot write to $dir: a folder above it is closed to other users" \
      "(give DIR from \`mktemp -d\` itself, not a folder inside it)" >&2
    exit 1
  fi
else
  as_server() { "$@"; }
fi

if [[ $command == stop ]]; then
  # pg_ctl status: 0 running, 3 not running, 4 no cluster there.
  if [[ -f $data/PG_VERSION ]] && as_server "$bindir/pg_ctl" status -D "$data" > /dev/null; then
    as_server "$bindir/pg_ctl" stop -D "$data" -m fast -w -t 60 >&2
  fi
  exit 0
fi

if [[ ! -f $data/PG_VERSION ]]; then
  # C locale: text compares byte by byte, as SQLite's BINARY does, and lower() folds ASCII alone,
  # as NOCASE does. --no-sync and fsync=off: a test cluster never outlives a crash.
  as_server "$bindir/initdb" --pgdata="$data" --username=postgres --encoding=UTF8 --locale=C \
    --auth=trust --no-sync --no-instructions > "$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  cat >> "$data/postgresql.conf" <<EOF

# scripts/pg-cluster.sh: a throw-away cluster for tests
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  # Trust, and only from this machine: the loopback and the socket in DIR.
  cat > "$data/pg_hba.conf" <<EOF
local all all              trust
host  all all 127.0.0.1/32 trust
EOF
fi

# A free port: one nobody answers on, from below Linux's ephemeral range (32768-60999), so that no
# outgoing connection holds it. Another cluster starting at the same moment may pick the same one;
# then the server cannot bind it, and the next try picks another.
free_port() {
  local port
  while true; do
    port=$((20000 + RANDOM % 12000))
    if ! (exec 3<> "/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
}

for attempt in 1 2 3 4 5; do
  port=$(free_port)
  logged=$(stat -c %s "$dir/log" 2>/dev/null || echo 0)
  # -w: returns once the server accepts connections. -l: the server's output goes to the log, so
  # nothing holds the caller's stdout open.
  if as_server "$bindir/pg_ctl" start -D "$data" -l "$dir/log" -w -t 60 -o "-p $port" >&2; then
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    exit 0
  fi
  if ! tail -c +"$((logged + 1))" "$dir/log" | grep -q 'could not bind\|Address already in use'; then
    break
  fi
  echo "port $port was taken (try $attempt); trying another" >&2
done
echo "PostgreSQL did not start; its log, $dir/log, ends with:" >&2
tail -n 20 "$dir/log" >&2 || true
exit 1
