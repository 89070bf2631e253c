# Sourced by scripts that run Python from a project-made virtual environment under .cache
# (scripts/python-env.sh for the notebook, bench/peer/setup.sh). The caller defines fail() (its own
# message prefix).

# python_venv DIR WHAT PACKAGE==VERSION...: a virtual environment at DIR with the pinned packages from
# PyPI, made once; a marker names the pins, so changing a pin reinstalls. WHAT names who needs it.
python_venv() {
  local venv=$1 what=$2
  shift 2
  local marker
  marker="$venv/.installed-$(printf '%s_' "$@" | tr '=' '-')"
  [ -f "$marker" ] && return
  command -v python3 >/dev/null || fail "Expected python3 (3.11+) on PATH for $what (found none). Install it, e.g. apt-get install python3 python3-venv"
  python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' \
    || fail "Expected Python 3.11 or newer for $what (found $(python3 --version 2>&1))"
  if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv" || fail "python3 -m venv failed: install the venv module, e.g. apt-get install python3-venv"
  fi
  echo "installing $* into ${venv#"$PWD"/} for $what" >&2
  "$venv/bin/pip" install -q --disable-pip-version-check "$@" >&2 || fail "pip could not install $* (see its output above)"
  rm -f "$venv"/.installed-*
  touch "$marker"
}
