# shellcheck shell=bash
# Shared by the scripts: where the Python >= 3.14.2 environment lives and how to run a command in it.
# Sourced, not run. Two kinds of environment:
#   native: a .venv in the repository, made from a Python >= 3.14.2 this machine already has (or uv gets);
#   root:   a Debian "forky" root outside the repository (this machine's Python is too old), entered with
#           chroot inside private mount and PID namespaces, so no mount or process outlives the command.

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FORKY_ROOT=${IP_PHONE_ROOT:-${XDG_CACHE_HOME:-$HOME/.cache}/ip-phone-dev/forky}
NATIVE_VENV="$REPO_DIR/.venv"
ROOT_VENV=/opt/venv
REQUIREMENT_FILES=(requirements_test.txt)

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Which environment is ready: prints "native", "root" or nothing.
env_kind() {
  if [ -x "$NATIVE_VENV/bin/python" ]; then
    echo native
  elif [ -f "$FORKY_ROOT/.ip-phone-ready" ] && [ -f "$FORKY_ROOT$ROOT_VENV/pyvenv.cfg" ]; then
    echo root
  fi
}

requirements_hash() {
  (cd "$REPO_DIR" && cat "${REQUIREMENT_FILES[@]}") | sha256sum | cut -d' ' -f1
}

# The venv's directory as seen from the host.
venv_dir_on_host() {
  case "$(env_kind)" in
    native) echo "$NATIVE_VENV" ;;
    root) echo "$FORKY_ROOT$ROOT_VENV" ;;
  esac
}

# Runs "$@" in the environment with the repository as the current directory. Replaces the calling shell
# (exec), so that killing the script kills the command and, in the root, everything in its namespaces.
exec_in_env() {
  case "$(env_kind)" in
    native)
      cd "$REPO_DIR" || exit 1
      export PATH="$NATIVE_VENV/bin:$PATH" VIRTUAL_ENV="$NATIVE_VENV"
      exec "$@"
      ;;
    root)
      exec_in_root "$ROOT_VENV" "$@"
      ;;
    *) die "no environment yet: run scripts/setup" ;;
  esac
}

# chroot into the forky root with /proc, /dev and the repository (at /project) mounted in a private mount
# namespace and a PID namespace of its own: --kill-child ends everything in it when unshare dies, whatever
# killed it. unshare blocks SIGTERM while it waits, so this shell stays in front to pass SIGTERM on.
exec_in_root() {
  local venv=$1; shift
  [ "$(id -u)" -eq 0 ] || die "the Debian root needs root (chroot and mount namespaces)"
  # The host's resolver and CA bundle: the package registries are reached through a proxy only it trusts.
  # Replaced atomically and only when changed: another command may be reading them right now.
  sync_file /etc/resolv.conf "$FORKY_ROOT/etc/resolv.conf"
  sync_file /etc/ssl/certs/ca-certificates.crt "$FORKY_ROOT/etc/ssl/host-ca-bundle.crt"
  local -a pass_env=(HOME=/root LANG=C.UTF-8 "PATH=$venv/bin:/usr/local/bin:/usr/bin:/bin"
    SSL_CERT_FILE=/etc/ssl/host-ca-bundle.crt PIP_CERT=/etc/ssl/host-ca-bundle.crt
    REQUESTS_CA_BUNDLE=/etc/ssl/host-ca-bundle.crt PIP_DISABLE_PIP_VERSION_CHECK=1)
  [ -n "${VIRTUAL_ENV_IN_ROOT:-}" ] || pass_env+=("VIRTUAL_ENV=$venv")
  local name
  for name in TERM CI COLUMNS FORCE_COLOR PYTEST_ADDOPTS $(compgen -e | grep -E '^IP_PHONE_' || true); do
    [ -n "${!name:-}" ] && pass_env+=("$name=${!name}")
  done
  mkdir -p "$FORKY_ROOT/project"
  # Background jobs of a script start with SIGINT ignored. unshare keeps it so: a Ctrl-C that killed
  # unshare would SIGKILL the whole namespace (--kill-child), Home Assistant mid-shutdown included.
  # NAMESPACE_INIT gives Ctrl-C back to the command alone, which stops its own children.
  unshare --mount --pid --fork --kill-child --propagation private -- \
    bash -c '
      set -e
      root=$1; repo=$2; shift 2
      mount -t proc proc "$root/proc"
      mount --rbind /dev "$root/dev"
      mount --bind "$repo" "$root/project"
      exec chroot "$root" /usr/bin/env -i "$@"
    ' ip-phone-root "$FORKY_ROOT" "$REPO_DIR" "${pass_env[@]}" \
    /bin/bash -c "$NAMESPACE_INIT" ip-phone-init "$@" &
  local namespace=$!
  trap 'pkill -TERM -P "$namespace" 2>/dev/null' TERM HUP
  trap : INT # Ctrl-C reaches the command itself; wait for it to finish
  wait_for "$namespace"
}

sync_file() {
  [ -f "$1" ] || return 0
  cmp -s "$1" "$2" && return 0
  cp -f "$1" "$2.$$" && mv -f "$2.$$" "$2"
}

# Waits for a child, through any trapped signals, and exits with its status.
wait_for() {
  local status
  while :; do
    wait "$1"; status=$?
    kill -0 "$1" 2>/dev/null || exit "$status"
  done
}

# PID 1 of the namespace: passes SIGTERM on to the command (PID 1 gets no default signal actions).
# shellcheck disable=SC2016
NAMESPACE_INIT='
  cd /project
  trap "kill -TERM \$command 2>/dev/null" TERM
  trap : INT
  env --default-signal=INT "$@" &
  command=$!
  while :; do wait $command; status=$?; kill -0 $command 2>/dev/null || exit $status; done
'
