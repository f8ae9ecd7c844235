"""Diagnostics for IP phones: what the phone reports, without credentials or identifiers."""

from dataclasses import asdict
from typing import Any

from homeassistant.components.diagnostics import REDACTED, async_redact_data
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_USERNAME, CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant

from .api import PhoneError
from .coordinator import IpPhoneConfigEntry, IpPhoneCoordinator
from .webhook import async_action_urls

# Credentials, addresses, and what identifies the phone or the people it calls.
TO_REDACT = {
    CONF_HOST,
    CONF_PASSWORD,
    CONF_USERNAME,
    CONF_WEBHOOK_ID,
    "mac",
    "serial",
    "unique_id",
    "sip_id",
    "server",
    "name",
    "remote_number",
    "remote_name",
    "network_ip",
    "network_gateway",
    "network_dns",
}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant,
    entry: IpPhoneConfigEntry,
) -> dict[str, Any]:
    """Return diagnostics for a config entry; the push URLs without their secret webhook id."""
    coordinator = entry.runtime_data
    webhook_id = entry.data[CONF_WEBHOOK_ID]
    return async_redact_data(
        {
            # Entries named after their address before the phone's model (CTI) keep that title.
            "entry": {
                "title": entry.title.replace(entry.data[CONF_HOST], REDACTED),
                "unique_id": entry.unique_id,
                "data": dict(entry.data),
            },
            "capabilities": sorted(coordinator.client.capabilities),
            "device_info": asdict(coordinator.info),
            "status": {
                "state": coordinator.data.state,
                "lines": [asdict(line) for line in coordinator.data.lines],
                "accounts": [asdict(account) for account in coordinator.data.accounts],
            },
            "last_update_success": coordinator.last_update_success,
            "last_restart": coordinator.restart.last_restart,
            "details": await _async_details(coordinator),
            "push": {
                **asdict(coordinator.push_stats),
                "action_urls": {
                    event.value: url.replace(webhook_id, REDACTED)
                    for event, url in async_action_urls(hass, webhook_id).items()
                },
            },
        },
        TO_REDACT,
    )


async def _async_details(coordinator: IpPhoneCoordinator) -> dict[str, str]:
    """Read what the poll does not: GMI part number, firmware and network, Fanvil memory."""
    try:
        return await coordinator.client.diagnostics()
    except PhoneError as err:
        return {"error": coordinator.client.redact(str(err))}
