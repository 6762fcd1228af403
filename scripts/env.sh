# Sourced by the scripts: puts the tools the setup installed on PATH.
OFFICINA_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$OFFICINA_ROOT/end2end/node_modules/.bin:$PATH"
export CHROMEDRIVER=/usr/bin/chromedriver
