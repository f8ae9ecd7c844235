"""Diagnostics: what the phone reports, with credentials and identifiers redacted."""

import json

from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props

from simulator import Dialect, SimulatedPhone
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
    phone.ring(1, "5551234", "Reception")
    await init_integration.runtime_data.async_refresh()

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, init_integration)

    # The simulator's port and the time of its start change from run to run; nothing else does.
    assert diagnostics == snapshot(exclude=props("port", "last_restart"))
    if phone.dialect in (Dialect.FANVIL, Dialect.GRANDSTREAM_GMI, Dialect.GRANDSTREAM_WEBAPI):
        restart = dt_util.parse_datetime(diagnostics["last_restart"])
        assert restart is not None
        assert abs((dt_util.utcnow() - restart).total_seconds()) < 5
    else:
        assert diagnostics["last_restart"] is None
    text = json.dumps(diagnostics)
    for secret in (PASSWORD, phone.mac.lower(), "5551234", "Reception", "1001", "pbx.example.com"):
        assert secret not in text
