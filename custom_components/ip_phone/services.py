"""Phone actions: call, end, answer, reject, hold, reboot and keys, on one phone or several."""

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from homeassistant.const import ATTR_CONFIG_ENTRY_ID, ATTR_DEVICE_ID
from homeassistant.core import HomeAssistant, ServiceCall, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.service import (
    async_get_config_entry,
    async_get_device_and_config_entry,
)
import probatio

from .api import Capability, PhoneClient
from .const import ATTR_ACCOUNT, ATTR_KEYS, ATTR_LINE, ATTR_NUMBER, DOMAIN
from .coordinator import IpPhoneConfigEntry, IpPhoneCoordinator

_INDEX = probatio.All(probatio.Coerce(int), probatio.Range(min=1, max=255))


@dataclass(frozen=True, kw_only=True)
class PhoneAction:
    """An action: what the phone must be able to do, the fields it takes, and the command."""

    capability: Capability
    fields: Mapping[Any, Any] = field(default_factory=dict)
    command_fn: Callable[[PhoneClient, Mapping[str, Any]], Awaitable[None]]


def _line_action(
    capability: Capability, method: Callable[[PhoneClient, int | None], Awaitable[None]]
) -> PhoneAction:
    """Return an action on a line: the one given, or the one the phone would pick."""
    return PhoneAction(
        capability=capability,
        fields={probatio.Optional(ATTR_LINE): _INDEX},
        command_fn=lambda client, data: method(client, data.get(ATTR_LINE)),
    )


ACTIONS: dict[str, PhoneAction] = {
    "make_call": PhoneAction(
        capability=Capability.MAKE_CALL,
        fields={probatio.Required(ATTR_NUMBER): cv.string, probatio.Optional(ATTR_ACCOUNT): _INDEX},
        command_fn=lambda client, data: client.make_call(
            data[ATTR_NUMBER], account=data.get(ATTR_ACCOUNT)
        ),
    ),
    "end_call": _line_action(Capability.END_CALL, PhoneClient.end_call),
    "answer_call": _line_action(Capability.ANSWER_CALL, PhoneClient.answer_call),
    "reject_call": _line_action(Capability.REJECT_CALL, PhoneClient.reject_call),
    "hold_call": _line_action(Capability.HOLD_CALL, PhoneClient.hold_call),
    "reboot": PhoneAction(
        capability=Capability.REBOOT,
        command_fn=lambda client, _: client.reboot(),
    ),
    "send_keys": PhoneAction(
        capability=Capability.SEND_KEYS,
        fields={probatio.Required(ATTR_KEYS): cv.string},
        command_fn=lambda client, data: client.send_keys(data[ATTR_KEYS]),
    ),
}


@callback
def _async_get_coordinators(call: ServiceCall) -> list[IpPhoneCoordinator]:
    """Return the phones a call targets, by device and by config entry; each must be loaded."""
    entries: dict[str, IpPhoneConfigEntry] = {}
    for device_id in call.data.get(ATTR_DEVICE_ID, []):
        _, entry = async_get_device_and_config_entry(call.hass, DOMAIN, device_id)
        entries[entry.entry_id] = entry
    for entry_id in call.data.get(ATTR_CONFIG_ENTRY_ID, []):
        entry = async_get_config_entry(call.hass, DOMAIN, entry_id)
        entries[entry.entry_id] = entry
    return [entry.runtime_data for entry in entries.values()]


@callback
def _async_check(coordinator: IpPhoneCoordinator, action: str, data: Mapping[str, Any]) -> None:
    """Refuse, before anything is sent, what this phone cannot do or does not have."""
    placeholders = {"phone": coordinator.config_entry.title}
    if ACTIONS[action].capability not in coordinator.client.capabilities:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="action_not_supported",
            translation_placeholders={**placeholders, "action": action},
        )
    status = coordinator.data
    for key, items in ((ATTR_LINE, status.lines), (ATTR_ACCOUNT, status.accounts)):
        index = data.get(key)
        # A phone whose lines are not polled (Fanvil) cannot be checked; the phone decides.
        if index is not None and items and index not in {item.index for item in items}:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key=f"unknown_{key}",
                translation_placeholders={**placeholders, key: str(index)},
            )


async def _async_handle(call: ServiceCall) -> None:
    """Send the action to every phone it targets at once, then raise the first failure."""
    coordinators = _async_get_coordinators(call)
    for coordinator in coordinators:
        _async_check(coordinator, call.service, call.data)
    command = ACTIONS[call.service].command_fn
    results = await asyncio.gather(
        *(
            coordinator.async_send(lambda client: command(client, call.data))
            for coordinator in coordinators
        ),
        return_exceptions=True,
    )
    for result in results:
        if isinstance(result, BaseException):
            raise result


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the phone actions."""
    phones = {
        probatio.Optional(ATTR_DEVICE_ID): probatio.All(cv.ensure_list, [cv.string]),
        probatio.Optional(ATTR_CONFIG_ENTRY_ID): probatio.All(cv.ensure_list, [cv.string]),
    }
    for name, action in ACTIONS.items():
        hass.services.async_register(
            DOMAIN,
            name,
            _async_handle,
            schema=probatio.All(
                probatio.Schema({**phones, **action.fields}),
                cv.has_at_least_one_key(ATTR_DEVICE_ID, ATTR_CONFIG_ENTRY_ID),
            ),
        )
