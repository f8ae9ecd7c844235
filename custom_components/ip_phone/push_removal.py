"""Removing an entry clears the push Home Assistant set up on the phone: once, and best-effort."""

import asyncio
from collections.abc import Mapping

from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.core import HomeAssistant

from .api import PhoneError
from .const import CONF_PUSH_SET_UP, LOGGER, REQUEST_TIMEOUT
from .coordinator import IpPhoneConfigEntry
from .factory import async_create_phone_client


async def async_clear_push_on_removal(hass: HomeAssistant, entry: IpPhoneConfigEntry) -> None:
    """Empty the Action URLs Home Assistant wrote; a WARNING naming what is left if that fails.

    One attempt within the request timeout, none while the phone's refusal of the password awaits
    reauthentication (phones lock their account after a few), and nothing raised: the entry is
    removed whatever the phone does.
    """
    if not entry.options.get(CONF_PUSH_SET_UP):
        return
    # The entry's own client is gone with the unload: a new one, used once and closed.
    client = async_create_phone_client(hass, entry.data)
    try:
        settings = client.action_url_names
        if any(entry.async_get_active_flows(hass, {SOURCE_REAUTH})):
            _warn(entry, "the phone refused the password", settings)
            return
        try:
            async with asyncio.timeout(REQUEST_TIMEOUT):
                missed = await client.clear_push()
        except (PhoneError, TimeoutError) as err:
            _warn(entry, client.redact(str(err)) or "no answer", settings)
            return
        if missed:
            _warn(entry, "the phone kept them", {event: settings[event] for event in missed})
    finally:
        await client.close()


def _warn(entry: IpPhoneConfigEntry, reason: str, settings: Mapping[str, str]) -> None:
    names = ", ".join(f"{name} ({event})" for event, name in settings.items())
    LOGGER.warning(
        "%s: the push URLs Home Assistant set up on the phone were not cleared (%s); "
        "empty its Action URL settings by hand: %s",
        entry.title,
        reason,
        names,
    )
