# shellcheck shell=bash
# Sourced by scripts/develop: its long-running children, stopped cleanly by Ctrl-C.
# Each child runs in a session of its own, so the terminal's Ctrl-C (SIGINT to the whole foreground
# process group) reaches the script alone, which then sends every child exactly one SIGTERM and
# waits. Home Assistant takes a first signal as "stop cleanly" and a second as "die now": with
# Ctrl-C reaching it too, the script's SIGTERM came second and lost its database's clean shutdown.

children=()

# Starts "$@" in the background, in a new session; its PID is the last of "${children[@]}".
start_child() {
  setsid "$@" &
  children+=($!)
}

# Sends each child one SIGTERM and waits for all of them; more Ctrl-C meanwhile does not cut it short.
# If set, the command in $before_stop runs first (develop waits there for Home Assistant to be ready
# to stop cleanly).
stop_children() {
  trap - EXIT TERM
  trap '' INT
  [ ${#children[@]} -gt 0 ] || return 0
  [ -z "${before_stop:-}" ] || "$before_stop"
  kill -TERM "${children[@]}" 2>/dev/null
  wait "${children[@]}" 2>/dev/null
}
