"""The reboot button."""

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.button import DOMAIN as BUTTON_DOMAIN, SERVICE_PRESS
from homeassistant.const import ATTR_ENTITY_ID, STATE_UNAVAILABLE, STATE_UNKNOWN, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from simulator import Dialect, Faults, SimulatorServer

from .conftest import (
    ALL_DIALECTS,
    back_after_reboot,
    entity_id,
    settle,
    snapshot_entities,
    tick,
)

REBOOTS = pytest.mark.parametrize(
    "dialect",
    [
        Dialect.GRANDSTREAM_WEBAPI,
        Dialect.GRANDSTREAM_SESSION,
        Dialect.GRANDSTREAM_CTI,
        Dialect.FANVIL,
    ],
    ids=lambda dialect: dialect.value,
)


@pytest.fixture
def platforms() -> list[Platform]:
    """Set up the button platform only."""
    return [Platform.BUTTON]


@ALL_DIALECTS
@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_entities(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    init_integration: MockConfigEntry,
) -> None:
    """A reboot button where the API can reboot the phone (GMI cannot)."""
    await snapshot_entities(hass, entity_registry, snapshot, init_integration)


@REBOOTS
async def test_reboot(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    dialect: Dialect,
    server: SimulatorServer,
    init_integration: MockConfigEntry,
) -> None:
    """The phone goes away: its entities are unavailable, and come back by themselves."""
    server.phone.timings.reboot = 30
    button = entity_id("button", dialect, "restart")
    assert hass.states.get(button).state == STATE_UNKNOWN

    await hass.services.async_call(
        BUTTON_DOMAIN, SERVICE_PRESS, {ATTR_ENTITY_ID: button}, blocking=True
    )
    await settle(hass)
    assert server.phone.rebooting
    assert hass.states.get(button).state == STATE_UNAVAILABLE

    await back_after_reboot(hass, freezer, server, 30)
    assert not server.phone.rebooting
    assert hass.states.get(button).state != STATE_UNAVAILABLE


@REBOOTS
async def test_reboot_asked_for_is_no_error(
    hass: HomeAssistant,
    *,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    dialect: Dialect,
    server: SimulatorServer,
    init_integration: MockConfigEntry,
) -> None:
    """A restart asked for: INFO, not ERROR, while away; an outage after it is an error again."""
    server.phone.timings.reboot = 30
    caplog.clear()
    await hass.services.async_call(
        BUTTON_DOMAIN,
        SERVICE_PRESS,
        {ATTR_ENTITY_ID: entity_id("button", dialect, "restart")},
        blocking=True,
    )
    for _ in range(2):
        await tick(hass, freezer)  # polls while the phone is away
    assert hass.states.get(entity_id("button", dialect, "restart")).state == STATE_UNAVAILABLE
    await back_after_reboot(hass, freezer, server, 30)
    ours = [
        record
        for record in caplog.records
        if record.name.startswith("custom_components.ip_phone") and record.levelname != "DEBUG"
    ]
    assert [record.levelname for record in ours] == ["INFO", "INFO"]
    assert "restarts, as asked" in ours[0].getMessage()
    assert "recovered" in ours[1].getMessage()

    caplog.clear()
    server.phone.faults = Faults(drop=True)
    await tick(hass, freezer)
    assert [r.levelname for r in caplog.records if r.levelname == "ERROR"] == ["ERROR"]


async def press(hass: HomeAssistant, button: str) -> None:
    await hass.services.async_call(
        BUTTON_DOMAIN, SERVICE_PRESS, {ATTR_ENTITY_ID: button}, blocking=True
    )


@pytest.mark.parametrize("dialect", [Dialect.GRANDSTREAM_WEBAPI], ids=["grandstream_webapi"])
async def test_provision_is_disabled_by_default_and_provisions(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    server: SimulatorServer,
    init_integration: MockConfigEntry,
) -> None:
    button = entity_id("button", Dialect.GRANDSTREAM_WEBAPI, "provision")
    entry = entity_registry.async_get(button)
    assert entry is not None
    assert entry.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    entity_registry.async_update_entity(button, disabled_by=None)
    await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()

    await press(hass, button)
    assert any("request=PROV" in r.query_string for r in server.phone.requests)


@pytest.mark.parametrize("dialect", [Dialect.GRANDSTREAM_CTI], ids=["grandstream_cti"])
@pytest.mark.usefixtures("entity_registry_enabled_by_default", "init_integration")
async def test_key_buttons(hass: HomeAssistant, server: SimulatorServer) -> None:
    """The guide's common keys, each a button; send_keys keeps every other key."""
    for role in ("speaker", "volume_up", "volume_down", "mute", "hold"):
        # Named "Speaker key", "Volume up key"...: the entity ids follow the names.
        await press(hass, entity_id("button", Dialect.GRANDSTREAM_CTI, f"{role}_key"))
    assert server.phone.keys == ["SPEAKER", "VUP", "VDOWN", "MUTE", "HOLD"]
