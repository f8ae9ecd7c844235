"""Home Assistant finds the integration in custom_components/ and accepts its manifest."""

import json
from pathlib import Path

from awesomeversion import AwesomeVersion
from homeassistant.core import HomeAssistant
from homeassistant.loader import async_get_custom_components, async_get_integration
import pytest

from custom_components.ip_phone.const import DOMAIN

INTEGRATION_DIR = Path(__file__).parents[2] / "custom_components" / DOMAIN
REQUIRED_KEYS = {"domain", "name", "version", "config_flow", "iot_class", "documentation"}
REQUIRED_KEYS |= {"issue_tracker", "codeowners", "integration_type"}


async def test_loaded_from_custom_components(hass: HomeAssistant) -> None:
    custom = await async_get_custom_components(hass)
    assert DOMAIN in custom

    integration = await async_get_integration(hass, DOMAIN)
    assert not integration.is_built_in
    assert Path(integration.file_path) == INTEGRATION_DIR
    assert integration.config_flow is True
    # The loader refuses a custom integration whose version it cannot parse; this is what it checks.
    assert AwesomeVersion(str(integration.version)).valid

    component = await integration.async_get_component()
    assert component.__name__ == f"custom_components.{DOMAIN}"


def test_manifest_has_what_home_assistant_and_hacs_need() -> None:
    manifest = json.loads((INTEGRATION_DIR / "manifest.json").read_text(encoding="utf-8"))
    assert manifest.keys() >= REQUIRED_KEYS
    assert manifest["domain"] == DOMAIN
    assert manifest["iot_class"] in {"local_polling", "local_push"}
    assert manifest["documentation"].startswith("https://")
    assert manifest["issue_tracker"].startswith("https://")
    assert all(owner.startswith("@") for owner in manifest["codeowners"])
    # Keys are sorted after domain and name, as hassfest requires of core integrations.
    rest = list(manifest)[2:]
    assert list(manifest)[:2] == ["domain", "name"]
    assert rest == sorted(rest)


def test_hacs_minimum_version_is_the_one_tested() -> None:
    hacs = json.loads((INTEGRATION_DIR.parents[1] / "hacs.json").read_text(encoding="utf-8"))
    from homeassistant.const import __version__

    assert AwesomeVersion(__version__) >= AwesomeVersion(hacs["homeassistant"])
    assert AwesomeVersion(__version__).section(0) == AwesomeVersion(hacs["homeassistant"]).section(
        0
    )
    assert AwesomeVersion(__version__).section(1) == AwesomeVersion(hacs["homeassistant"]).section(
        1
    )


@pytest.mark.parametrize("path", ["manifest.json"])
def test_json_files_parse(path: str) -> None:
    assert json.loads((INTEGRATION_DIR / path).read_text(encoding="utf-8"))
