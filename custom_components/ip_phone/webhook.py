"""The phone's Action URL requests: one webhook per phone, checked, then handed to the coordinator.

A phone sends a plain GET without authentication for each event it is set up to report. The
webhook id (256 random bits) is what makes the URL a capability; the `$mac` a request carries must
also be the phone's, so a URL pasted into the wrong phone changes nothing. Every query value is
untrusted text: a request that is not a push from this phone is dropped with a debug log, never an
exception, and every answer is the same empty 200, so nothing is given away.
"""

from functools import partial
import re
from typing import Final

from aiohttp import hdrs, web
from homeassistant.components import webhook
from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.network import NoURLAvailableError, get_url
from multidict import MultiMapping

from .const import DOMAIN, LOGGER
from .coordinator import IpPhoneConfigEntry, IpPhoneCoordinator
from .push import CALL_PUSHES, Push, PushEvent

# The longest pushed number, name or SIP user id kept; a phone's display shows far fewer.
MAX_VALUE: Final = 64
# Shown where Home Assistant knows no address of its own on the local network.
UNKNOWN_BASE_URL: Final = "http://HOME-ASSISTANT-ADDRESS:8123"

# The query of each event's URL, the phone filling in the $ variables. The display name goes last:
# a phone that does not encode an "&" in it then cuts only the name short.
_CALL_QUERY: Final = "mac=$mac&local=$local&remote=$remote&name=$display_remote"
_ACCOUNT_QUERY: Final = "mac=$mac&local=$local"
# The variable behind each value: a phone that does not know one may send it unreplaced.
_VARIABLES: Final = {"local": "$local", "remote": "$remote", "name": "$display_remote"}
_MAC: Final = re.compile(r"[0-9a-f]{12}")
_MAC_SEPARATORS: Final = re.compile(r"[:.\-]")


@callback
def async_action_urls(hass: HomeAssistant, webhook_id: str) -> dict[PushEvent, str]:
    """Return the URL to paste into the phone for each event, on Home Assistant's local address."""
    try:
        base = get_url(hass, allow_external=False, allow_cloud=False, prefer_external=False)
    except NoURLAvailableError:
        base = UNKNOWN_BASE_URL
    path = webhook.async_generate_path(webhook_id)
    return {
        event: f"{base}{path}?event={event}&"
        + (_CALL_QUERY if event in CALL_PUSHES else _ACCOUNT_QUERY)
        for event in PushEvent
    }


@callback
def async_register_webhook(hass: HomeAssistant, entry: IpPhoneConfigEntry) -> None:
    """Take the phone's pushes until the entry unloads (the config flow gave it its id)."""
    webhook_id = entry.data[CONF_WEBHOOK_ID]
    webhook.async_register(
        hass,
        DOMAIN,
        entry.title,
        webhook_id,
        partial(_async_handle, entry.runtime_data),
        local_only=True,
        allowed_methods=(hdrs.METH_GET, hdrs.METH_POST),
    )
    entry.async_on_unload(partial(webhook.async_unregister, hass, webhook_id))


async def _async_handle(
    coordinator: IpPhoneCoordinator,
    hass: HomeAssistant,  # noqa: ARG001
    webhook_id: str,  # noqa: ARG001
    request: web.Request,
) -> None:
    """Hand a valid push to the coordinator; drop anything else. The body is never read."""
    try:
        push = _read(request, phone_mac(coordinator))
    except ValueError as err:
        coordinator.async_ignore_push()
        LOGGER.debug("Ignored a request to the push URL of %s: %s", coordinator.name, err)
        return
    coordinator.async_handle_push(push)


def _read(request: web.Request, mac: str | None) -> Push:
    if request.body_exists:
        raise ValueError("a body, which Action URLs never have")
    return parse_push(request.query, mac)


def phone_mac(coordinator: IpPhoneCoordinator) -> str | None:
    """Return the phone's MAC as `$mac` spells it; None where the phone does not tell (CTI)."""
    for mac in (coordinator.info.mac, coordinator.config_entry.unique_id):
        if mac and _MAC.fullmatch(spelled := _MAC_SEPARATORS.sub("", mac).lower()):
            return spelled
    return None


def parse_push(query: MultiMapping[str], mac: str | None) -> Push:
    """Read a push from its query; ValueError saying why it is none (`mac` None: any MAC).

    Keys other than ours are left alone; ours must come once each.
    """
    try:
        event = PushEvent(_single(query, "event"))
    except ValueError:
        raise ValueError("no event, or one the integration does not know") from None
    pushed_mac = _MAC_SEPARATORS.sub("", _single(query, "mac")).lower()
    if not _MAC.fullmatch(pushed_mac):
        raise ValueError("no MAC, or a malformed one")
    if mac is not None and pushed_mac != mac:
        raise ValueError("the MAC of another phone")
    return Push(
        event=event,
        local=_text(query, "local"),
        remote=_text(query, "remote"),
        name=_text(query, "name"),
    )


def _single(query: MultiMapping[str], key: str) -> str:
    values = query.getall(key, [])
    if len(values) > 1:
        raise ValueError(f"{key} given {len(values)} times")
    return values[0] if values else ""


def _text(query: MultiMapping[str], key: str) -> str:
    """Return a pushed value as printable text of at most MAX_VALUE characters."""
    value = _single(query, key)
    if value == _VARIABLES[key]:
        return ""
    return "".join(char for char in value if char.isprintable())[:MAX_VALUE].strip()
