"""scripts/develop: its config folder, its HTTP binding and how Ctrl-C stops its children."""

import json
import os
from pathlib import Path
import shutil
import signal
import subprocess
import sys
import time
from typing import Any

from homeassistant.components.http.config import async_get_and_load_store, async_load_config
from homeassistant.core import HomeAssistant
from homeassistant.util.yaml import load_yaml_dict

from tests.scripts import SCRIPTS, load_script

CONFIG = Path(__file__).parents[2] / "config" / "configuration.yaml"


dev_config = load_script("dev_config")


def test_ui_automations_are_loaded(tmp_path: Path) -> None:
    """The development config includes the files the UI saves to, and they exist."""
    shutil.copy(CONFIG, tmp_path / "configuration.yaml")
    assert dev_config.main(tmp_path) == 0
    (tmp_path / "automations.yaml").write_text("- id: '1'\n  alias: Saved in the UI\n")
    config = load_yaml_dict(tmp_path / "configuration.yaml")
    assert config["automation"] == [{"id": "1", "alias": "Saved in the UI"}]
    assert not config["script"]
    assert config["scene"] == []
    dev_config.main(tmp_path)  # a second start keeps what the UI saved
    assert load_yaml_dict(tmp_path / "configuration.yaml")["automation"][0]["id"] == "1"


async def test_http_bound_to_loopback(hass: HomeAssistant, hass_storage: dict[str, Any]) -> None:
    """Home Assistant starts on loopback from the settings written, with no trial to revert."""
    hass_storage["http"] = dev_config.loopback_store(None)
    conf = await async_load_config(hass, {})
    assert conf["server_host"] == ["127.0.0.1"]
    assert conf["server_port"] == 8123
    assert (await async_get_and_load_store(hass)).pending is None


def test_http_settings_kept(tmp_path: Path) -> None:
    """Other stable settings survive; a pending trial, which would be tried first, does not."""
    stored = dev_config.loopback_store(None)
    stored["data"]["stable"]["server_port"] = 8124
    stored["data"]["stable"]["server_host"] = ["0.0.0.0", "::"]  # noqa: S104
    stored["data"]["pending"] = {**stored["data"]["stable"]}
    (tmp_path / ".storage").mkdir()
    (tmp_path / ".storage" / "http").write_text(json.dumps(stored))
    dev_config.main(tmp_path)
    written = json.loads((tmp_path / ".storage" / "http").read_text())
    assert written["data"]["stable"]["server_host"] == ["127.0.0.1"]
    assert written["data"]["stable"]["server_port"] == 8124
    assert written["data"]["pending"] is None


CHILD = """
import signal, sys, time
log = open(sys.argv[1], "a", buffering=1)
def stop(number, frame):
    log.write(signal.Signals(number).name + "\\n")
    if number == signal.SIGTERM:
        sys.exit(0)
signal.signal(signal.SIGINT, stop)
signal.signal(signal.SIGTERM, stop)
log.write("started\\n")
while True:
    time.sleep(0.05)
"""

HARNESS = """
source "$1"
before_stop=log_before_stop
log_file=$4
log_before_stop() { echo before_stop >>"$log_file"; }
trap stop_children EXIT
trap 'exit 130' INT TERM
start_child "$2" -c "$3" "$4"
wait "${children[-1]}"
"""


def test_ctrl_c_stops_children_with_one_signal(tmp_path: Path) -> None:
    """Ctrl-C reaches the script, which stops each child with one SIGTERM and waits for it.

    The script's `before_stop` runs first (develop waits there for Home Assistant's start to end).

    Home Assistant takes a second signal as "die now", losing its database's clean shutdown.
    """
    log = tmp_path / "signals"
    log.touch()
    # A terminal's foreground job: its own process group, which Ctrl-C signals as a whole.
    script = subprocess.Popen(  # noqa: S603
        [
            shutil.which("bash") or "bash",
            "-c",
            HARNESS,
            "harness",
            str(SCRIPTS / "_children.sh"),
            sys.executable,
            CHILD,
            str(log),
        ],
        start_new_session=True,
    )
    try:
        for _ in range(200):
            if "started" in log.read_text():
                break
            time.sleep(0.05)
        os.killpg(script.pid, signal.SIGINT)
        assert script.wait(timeout=10) == 130
    finally:
        if script.poll() is None:
            script.kill()
    assert log.read_text().split() == ["started", "before_stop", "SIGTERM"]
