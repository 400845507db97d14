# Sourced by scripts/demo and scripts/test: create .venv with Python 3.11 and
# install CCI with its embedded services and test tools. Re-installs only when
# pyproject.toml changed.
set -euo pipefail
PYTHON_BIN="${PYTHON:-}"
if [ -z "$PYTHON_BIN" ]; then
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1; then PYTHON_BIN="$candidate"; break; fi
  done
fi
if ! "$PYTHON_BIN" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
  echo "CCI needs Python 3.11 (found: $("$PYTHON_BIN" --version 2>&1)). Set PYTHON=/path/to/python3.11." >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  echo "Creating .venv with $PYTHON_BIN" >&2
  "$PYTHON_BIN" -m venv .venv
fi
stamp=".venv/.cci-installed"
wanted="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  echo "Installing CCI and its dependencies into .venv (first run takes a few minutes)" >&2
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".[local,dev]"
  echo "$wanted" > "$stamp"
fi
