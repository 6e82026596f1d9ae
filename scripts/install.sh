#!/usr/bin/env bash
# Creates .venv (Python 3.10, exact pins from constraints.txt) and the blank Norwegian spaCy
# pipeline that config.yml loads. The venv is built once per set of requirements in a cache
# folder outside the checkout and linked as .venv, so a fresh clone reuses it.
set -euo pipefail
cd "$(dirname "$0")/.."

want=$(cat .python-version)
python=""
for candidate in "${PYTHON:-}" python3.10 "$HOME/.pyenv/versions/$want/bin/python" /usr/bin/python3.10; do
  [ -n "$candidate" ] || continue
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then
    python=$(command -v "$candidate"); break
  fi
done
if [ -z "$python" ]; then
  echo "error: Python 3.10 was not found; Rasa 3.6 runs on Python 3.8-3.10 only." >&2
  echo "  Install it with 'pyenv install $want' (this repo's .python-version selects it)," >&2
  echo "  or 'apt-get install python3.10 python3.10-venv', or set PYTHON=/path/to/python3.10." >&2
  exit 1
fi

hash=$( (cat requirements.txt constraints.txt; "$python" --version) | sha256sum | cut -c1-16)
cache="${IA_ASSISTENT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ia-assistent}"
venv="$cache/venv-$hash"

if [ ! -f "$venv/.complete" ]; then
  echo "Creating the Python environment in $venv (a few minutes, once) ..."
  rm -rf "$venv"
  mkdir -p "$cache"
  "$python" -m venv "$venv"
  log="$cache/install-$hash.log"
  if ! "$venv/bin/pip" install --disable-pip-version-check -r requirements.txt -c constraints.txt >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    echo "error: pip install failed; the whole log is in $log" >&2
    exit 1
  fi
  touch "$venv/.complete"
fi
if [ "$(readlink .venv 2>/dev/null)" != "$venv" ]; then
  rm -rf .venv
  ln -s "$venv" .venv
fi

if [ ! -f build/spacy-nb/meta.json ]; then
  .venv/bin/python scripts/build_spacy_nb.py build/spacy-nb
fi
