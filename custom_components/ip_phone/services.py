"""Phone actions: call, end, answer, reject, hold, reboot and keys, on one phone or several."""

import asyncio
from collections.abc import Awaitable, Callable, Coroutine, Mapping
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
from .const import ATTR_ACCOUNT, ATTR_CONTACT, ATTR_KEYS, ATTR_LINE, ATTR_NUMBER, DOMAIN
from .coordinator import IpPhoneConfigEntry, IpPhoneCoordinator
from .directory import async_number_for

type Prepare = Callable[
    [HomeAssistant, IpPhoneCoordinator, Mapping[str, Any]], Coroutine[Any, Any, Mapping[str, Any]]
]


async def _as_given(
    hass: HomeAssistant,  # noqa: ARG001
    coordinator: IpPhoneCoordinator,  # noqa: ARG001
    data: Mapping[str, Any],
) -> Mapping[str, Any]:
    return data


async def _contact_to_number(
    hass: HomeAssistant, coordinator: IpPhoneCoordinator, data: Mapping[str, Any]
) -> Mapping[str, Any]:
    """Put the number of `contact` in the call's data: whom it names depends on the phone."""
    if ATTR_CONTACT not in data:
        return data
    resolved = await async_number_for(hass, coordinator, data[ATTR_CONTACT])
    return {**data, ATTR_NUMBER: resolved.number}


_INDEX = probatio.All(probatio.Coerce(int), probatio.Range(min=1, max=255))


@dataclass(frozen=True, kw_only=True)
class PhoneAction:
    """An action: what the phone must be able to do, the fields it takes, and the command."""

    capability: Capability
    fields: Mapping[Any, Any] = field(default_factory=dict)
    command_fn: Callable[[PhoneClient, Mapping[str, Any]], Awaitable[None]]
    # Turns the action's data into what this phone is sent (a contact into its number).
    prepare_fn: Prepare = _as_given
    validators: tuple[Callable[[Any], Any], ...] = ()


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
        fields={
            probatio.Exclusive(ATTR_NUMBER, "callee"): cv.string,
            probatio.Exclusive(ATTR_CONTACT, "callee"): cv.string,
            probatio.Optional(ATTR_ACCOUNT): _INDEX,
        },
        command_fn=lambda client, data: client.make_call(
            data[ATTR_NUMBER], account=data.get(ATTR_ACCOUNT)
        ),
        prepare_fn=_contact_to_number,
        validators=(cv.has_at_least_one_key(ATTR_NUMBER, ATTR_CONTACT),),
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
def async_get_target_coordinators(call: ServiceCall) -> list[IpPhoneCoordinator]:
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


def _bound(
    action: PhoneAction, data: Mapping[str, Any]
) -> Callable[[PhoneClient], Awaitable[None]]:
    return lambda client: action.command_fn(client, data)


async def _async_handle(call: ServiceCall) -> None:
    """Send the action to every phone it targets at once, then raise the first failure."""
    coordinators = async_get_target_coordinators(call)
    for coordinator in coordinators:
        _async_check(coordinator, call.service, call.data)
    action = ACTIONS[call.service]
    prepared = [await action.prepare_fn(call.hass, c, call.data) for c in coordinators]
    results = await asyncio.gather(
        *(
            coordinator.async_send(_bound(action, data))
            for coordinator, data in zip(coordinators, prepared, strict=True)
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
                *action.validators,
            ),
        )
