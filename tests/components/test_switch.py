"""Do-not-disturb: a switch where the API documents a key (Fanvil)."""

from homeassistant.components.switch import DOMAIN as SWITCH_DOMAIN
from homeassistant.const import ATTR_ENTITY_ID, SERVICE_TURN_OFF, SERVICE_TURN_ON, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from simulator import Dialect, SimulatedPhone

from .conftest import ALL_DIALECTS, entity_id, snapshot_entities

DND_KEY = "call.port.1.EnableDND"
FANVIL = pytest.mark.parametrize("dialect", [Dialect.FANVIL], ids=["fanvil"])


@pytest.fixture
def platforms() -> list[Platform]:
    """Set up the switch platform only."""
    return [Platform.SWITCH]


@ALL_DIALECTS
async def test_entities(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    init_integration: MockConfigEntry,
) -> None:
    """Do-not-disturb on Fanvil phones only (no other guide names a key for it)."""
    await snapshot_entities(hass, entity_registry, snapshot, init_integration)


async def switch(hass: HomeAssistant, service: str) -> None:
    await hass.services.async_call(
        SWITCH_DOMAIN,
        service,
        {ATTR_ENTITY_ID: entity_id("switch", Dialect.FANVIL, "do_not_disturb")},
        blocking=True,
    )


def dnd_state(hass: HomeAssistant) -> str:
    state = hass.states.get(entity_id("switch", Dialect.FANVIL, "do_not_disturb"))
    assert state is not None
    return state.state


@FANVIL
async def test_turn_on_and_off(
    hass: HomeAssistant, phone: SimulatedPhone, init_integration: MockConfigEntry
) -> None:
    assert dnd_state(hass) == "off"
    await switch(hass, SERVICE_TURN_ON)
    assert phone.config[DND_KEY] == "1"
    assert dnd_state(hass) == "on"
    await switch(hass, SERVICE_TURN_OFF)
    assert phone.config[DND_KEY] == "0"
    assert dnd_state(hass) == "off"


@FANVIL
async def test_phone_ignores_it(
    hass: HomeAssistant, phone: SimulatedPhone, init_integration: MockConfigEntry
) -> None:
    """Success from the phone, but the value stays: the read-back tells, the switch stays off."""
    phone.ignored_config.add(DND_KEY.lower())
    with pytest.raises(HomeAssistantError) as err:
        await switch(hass, SERVICE_TURN_ON)
    assert err.value.translation_key == "config_not_taken"
    assert dnd_state(hass) == "off"


@FANVIL
async def test_phone_refuses_it(
    hass: HomeAssistant, phone: SimulatedPhone, init_integration: MockConfigEntry
) -> None:
    phone.read_only_config.add(DND_KEY.lower())
    with pytest.raises(HomeAssistantError) as err:
        await switch(hass, SERVICE_TURN_ON)
    assert err.value.translation_key == "command_failed"
    assert dnd_state(hass) == "off"
