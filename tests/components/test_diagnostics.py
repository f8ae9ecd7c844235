"""Diagnostics: what the phone reports, with credentials and identifiers redacted."""

import json

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props

from simulator import SimulatedPhone
from tests.helpers import PASSWORD

from .conftest import ALL_DIALECTS


@ALL_DIALECTS
async def test_diagnostics(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    phone: SimulatedPhone,
    init_integration: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    phone.ring(1, "5551234", "Alice")
    await init_integration.runtime_data.async_refresh()

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, init_integration)

    # The simulator's port changes from run to run; nothing else does.
    assert diagnostics == snapshot(exclude=props("port"))
    text = json.dumps(diagnostics)
    for secret in (PASSWORD, phone.mac.lower(), "5551234", "Alice", "1001", "pbx.example.com"):
        assert secret not in text
