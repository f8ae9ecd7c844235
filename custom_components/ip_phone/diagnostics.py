"""Diagnostics for IP phones: what the phone reports, without credentials or identifiers."""

from dataclasses import asdict
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant

from .coordinator import IpPhoneConfigEntry

# Credentials, addresses, and what identifies the phone or the people it calls.
TO_REDACT = {
    CONF_HOST,
    CONF_PASSWORD,
    CONF_USERNAME,
    "mac",
    "serial",
    "unique_id",
    "sip_id",
    "server",
    "name",
    "remote_number",
    "remote_name",
}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant,  # noqa: ARG001
    entry: IpPhoneConfigEntry,
) -> dict[str, Any]:
    """Return diagnostics for a config entry."""
    coordinator = entry.runtime_data
    return async_redact_data(
        {
            "entry": {"title": entry.title, "unique_id": entry.unique_id, "data": dict(entry.data)},
            "capabilities": sorted(coordinator.client.capabilities),
            "device_info": asdict(coordinator.info),
            "status": {
                "state": coordinator.data.state,
                "lines": [asdict(line) for line in coordinator.data.lines],
                "accounts": [asdict(account) for account in coordinator.data.accounts],
            },
            "last_update_success": coordinator.last_update_success,
        },
        TO_REDACT,
    )
