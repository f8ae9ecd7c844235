"""What a poll costs in Home Assistant: nothing is written when nothing changed."""

from datetime import datetime

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ip_phone.api.client import ACCOUNTS_MAX_AGE
from simulator import SimulatedPhone

from .conftest import ALL_DIALECTS, tick


def reported(hass: HomeAssistant) -> dict[str, datetime]:
    """Return when each of the integration's states was last written.

    Copied out: Home Assistant updates the State object in place when the same state is written.
    """
    ours = {entry.entity_id for entry in er.async_get(hass).entities.values()}
    return {
        state.entity_id: state.last_reported
        for state in hass.states.async_all()
        if state.entity_id in ours
    }


@ALL_DIALECTS
async def test_unchanged_poll_writes_no_state(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
) -> None:
    """Not even the same state again: `last_reported` stays, so no state_reported either."""
    before = reported(hass)
    assert before
    await tick(hass, freezer)
    assert reported(hass) == before


@ALL_DIALECTS
async def test_changed_poll_writes_the_change(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    phone: SimulatedPhone,
    init_integration: MockConfigEntry,
) -> None:
    before = reported(hass)
    phone.set_registered(1, registered=False)
    await tick(hass, freezer, ACCOUNTS_MAX_AGE)  # the accounts are due again
    changed = {key for key, when in reported(hass).items() if when != before[key]}
    assert any(key.endswith("_account_1") for key in changed), changed
