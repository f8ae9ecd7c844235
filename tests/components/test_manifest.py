"""Home Assistant finds the integration in custom_components/ and accepts its manifest."""

from importlib.metadata import version
import json
from pathlib import Path

from awesomeversion import AwesomeVersion
from homeassistant.core import HomeAssistant
from homeassistant.loader import async_get_custom_components, async_get_integration
import pytest
import yaml

from custom_components.ip_phone.const import DOMAIN

HARNESS = "pytest-homeassistant-custom-component"
INTEGRATION_DIR = Path(__file__).parents[2] / "custom_components" / DOMAIN
REQUIRED_KEYS = {"domain", "name", "version", "config_flow", "iot_class", "documentation"}
REQUIRED_KEYS |= {"issue_tracker", "codeowners", "integration_type"}
QUALITY_SCALE_RULES = {
    # Bronze
    "action-setup",
    "appropriate-polling",
    "brands",
    "common-modules",
    "config-flow",
    "config-flow-test-coverage",
    "dependency-transparency",
    "docs-actions",
    "docs-conditions",
    "docs-high-level-description",
    "docs-installation-instructions",
    "docs-removal-instructions",
    "docs-triggers",
    "entity-event-setup",
    "entity-unique-id",
    "has-entity-name",
    "runtime-data",
    "test-before-configure",
    "test-before-setup",
    "unique-config-entry",
    # Silver
    "action-exceptions",
    "config-entry-unloading",
    "docs-configuration-parameters",
    "docs-installation-parameters",
    "entity-unavailable",
    "integration-owner",
    "log-when-unavailable",
    "parallel-updates",
    "reauthentication-flow",
    "test-coverage",
    # Gold
    "devices",
    "diagnostics",
    "discovery",
    "discovery-update-info",
    "docs-data-update",
    "docs-examples",
    "docs-known-limitations",
    "docs-supported-devices",
    "docs-supported-functions",
    "docs-troubleshooting",
    "docs-use-cases",
    "dynamic-devices",
    "entity-category",
    "entity-device-class",
    "entity-disabled-by-default",
    "entity-translations",
    "exception-translations",
    "icon-translations",
    "reconfiguration-flow",
    "repair-issues",
    "stale-devices",
    # Platinum
    "async-dependency",
    "inject-websession",
    "strict-typing",
}


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
    # What users get without setting up pushes on the phone (quality_scale.yaml says why).
    assert manifest["iot_class"] == "local_polling"
    scale = yaml.safe_load((INTEGRATION_DIR / "quality_scale.yaml").read_text(encoding="utf-8"))
    assert "iot_class is local_polling" in scale["rules"]["appropriate-polling"]["comment"]
    assert manifest["documentation"].startswith("https://")
    assert manifest["issue_tracker"].startswith("https://")
    assert all(owner.startswith("@") for owner in manifest["codeowners"])
    # Keys are sorted after domain and name, as hassfest requires of core integrations.
    rest = list(manifest)[2:]
    assert list(manifest)[:2] == ["domain", "name"]
    assert rest == sorted(rest)


def test_hacs_minimum_version_is_the_one_tested() -> None:
    """The pinned harness runs the minimum HACS states; CI's newest-release job runs a later one."""
    hacs = json.loads((INTEGRATION_DIR.parents[1] / "hacs.json").read_text(encoding="utf-8"))
    from homeassistant.const import __version__

    minimum = AwesomeVersion(hacs["homeassistant"])
    assert AwesomeVersion(__version__) >= minimum
    requirements = (INTEGRATION_DIR.parents[1] / "requirements_test.txt").read_text(
        encoding="utf-8"
    )
    if f"pytest-homeassistant-custom-component=={version(HARNESS)}" in requirements:
        release = AwesomeVersion(__version__)
        assert (release.section(0), release.section(1)) == (minimum.section(0), minimum.section(1))


@pytest.mark.parametrize(
    "path", ["manifest.json", "strings.json", "translations/en.json", "icons.json"]
)
def test_json_files_parse(path: str) -> None:
    assert json.loads((INTEGRATION_DIR / path).read_text(encoding="utf-8"))


def test_dhcp_matches_grandstream_and_fanvil() -> None:
    """Phones are discovered by their makers' MAC prefixes, and known phones by their MAC."""
    manifest = json.loads((INTEGRATION_DIR / "manifest.json").read_text(encoding="utf-8"))
    prefixes = {matcher.get("macaddress") for matcher in manifest["dhcp"]} - {None}
    assert prefixes == {"000B82*", "C074AD*", "EC74D7*", "0C383E*"}
    assert {"registered_devices": True} in manifest["dhcp"]


async def test_dhcp_matchers_load(hass: HomeAssistant) -> None:
    integration = await async_get_integration(hass, DOMAIN)
    assert integration.dhcp


def test_brand_icon() -> None:
    """A 256x256 PNG, as the brands repository wants it."""
    data = (INTEGRATION_DIR / "brand" / "icon.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20]), int.from_bytes(data[20:24])
    assert (width, height) == (256, 256)


def test_quality_scale_lists_every_rule() -> None:
    """Every rule of the Integration Quality Scale is done or exempt with a reason."""
    rules = yaml.safe_load((INTEGRATION_DIR / "quality_scale.yaml").read_text(encoding="utf-8"))
    rules = rules["rules"]
    assert set(rules) == QUALITY_SCALE_RULES
    for name, rule in rules.items():
        if isinstance(rule, dict):
            assert rule["status"] in {"done", "exempt"}, name
            assert rule.get("comment"), name
        else:
            assert rule == "done", name
