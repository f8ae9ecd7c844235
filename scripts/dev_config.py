"""Prepare scripts/develop's config folder: loopback only, and the files the UI saves to.

The UI saves automations, scripts and scenes to the files configuration.yaml includes; they must
exist. Home Assistant 2026.10 no longer reads `http:` from YAML after a one-time migration, and
applies a migrated change as a trial it reverts unless confirmed in the UI. So this writes the
confirmed ("stable") settings itself, before Home Assistant starts: the owner account `dev`/`dev`
and the simulated phones' push URLs are then reachable from this machine only.
Onboarding's location step ("core_config") is marked done before the first start: finishing it
sets up Met, Radio Browser and Google Translate, which reach out to the internet.
"""

import argparse
import json
from pathlib import Path
import sys
from typing import Any, Final

from homeassistant.components.http.config import (
    HTTP_CONFIG_CREATED_AT,
    HTTP_CONFIG_ERROR,
    HTTP_CONFIG_ERROR_MESSAGE,
    HTTP_STORAGE_SCHEMA,
    KEY_PENDING,
    KEY_STABLE,
    KEY_YAML_MIGRATION_DONE,
    STORAGE_KEY,
    STORAGE_MINOR_VERSION,
    STORAGE_VERSION,
)
from homeassistant.components.http.const import CONF_SERVER_HOST
from homeassistant.components.onboarding import (
    STORAGE_KEY as ONBOARDING_KEY,
    STORAGE_VERSION as ONBOARDING_VERSION,
)
from homeassistant.components.onboarding.const import STEP_CORE_CONFIG
from homeassistant.util import dt as dt_util

LOOPBACK: Final = ["127.0.0.1"]
# The files configuration.yaml includes, and what each holds when empty.
UI_FILES: Final = {"automations.yaml": "[]\n", "scenes.yaml": "[]\n", "scripts.yaml": ""}
_META: Final = (HTTP_CONFIG_CREATED_AT, HTTP_CONFIG_ERROR, HTTP_CONFIG_ERROR_MESSAGE)


def loopback_store(stored: dict[str, Any] | None) -> dict[str, Any]:
    """Return the HTTP store's file content with the stable settings bound to loopback.

    Other stable settings are kept; a pending trial is dropped, as it would be tried first.
    """
    data = (stored or {}).get("data") or {}
    settings = {key: value for key, value in data.get(KEY_STABLE, {}).items() if key not in _META}
    stable = HTTP_STORAGE_SCHEMA({**settings, CONF_SERVER_HOST: LOOPBACK})
    stable.update(
        {
            HTTP_CONFIG_CREATED_AT: dt_util.utcnow().isoformat(),
            HTTP_CONFIG_ERROR: None,
            HTTP_CONFIG_ERROR_MESSAGE: None,
        }
    )
    return {
        "version": STORAGE_VERSION,
        "minor_version": STORAGE_MINOR_VERSION,
        "key": STORAGE_KEY,
        "data": {KEY_STABLE: stable, KEY_PENDING: None, KEY_YAML_MIGRATION_DONE: True},
    }


def onboarding_store() -> dict[str, Any]:
    """Return a new onboarding store with only the location step done (see the module's doc)."""
    return {
        "version": ONBOARDING_VERSION,
        "key": ONBOARDING_KEY,
        "data": {"done": [STEP_CORE_CONFIG]},
    }


def main(config_dir: Path) -> int:
    """Create the files the UI saves to, and write the loopback settings into the storage."""
    for name, empty in UI_FILES.items():
        if not (config_dir / name).exists():
            (config_dir / name).write_text(empty, encoding="utf-8")
    path = config_dir / ".storage" / STORAGE_KEY
    stored = json.loads(path.read_text("utf-8")) if path.exists() else None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(loopback_store(stored), indent=2), encoding="utf-8")
    onboarding = config_dir / ".storage" / ONBOARDING_KEY
    if not onboarding.exists():  # a new folder; an onboarded one is left as it is
        onboarding.write_text(json.dumps(onboarding_store(), indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config_dir", type=Path)
    sys.exit(main(parser.parse_args().config_dir))
