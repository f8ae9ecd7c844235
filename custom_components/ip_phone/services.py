"""Phone actions: call, end, answer, reject, hold, resume, reboot, keys and configuration values.

The phones are the action's target (devices of this integration, or their entities, or the areas,
floors and labels that hold them), or config entries given as `config_entry_id`.
"""

import asyncio
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass, field
from typing import Any

from homeassistant.const import (
    ATTR_AREA_ID,
    ATTR_CONFIG_ENTRY_ID,
    ATTR_DEVICE_ID,
    ATTR_ENTITY_ID,
    ATTR_FLOOR_ID,
    ATTR_LABEL_ID,
)
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv, entity_registry as er
from homeassistant.helpers.service import (
    async_extract_config_entry_ids,
    async_get_config_entry,
    async_get_device_and_config_entry,
)
from homeassistant.util.json import JsonValueType
import probatio

from .api import Capability, PhoneClient
from .const import (
    ATTR_ACCOUNT,
    ATTR_CONTACT,
    ATTR_KEYS,
    ATTR_LINE,
    ATTR_NAMES,
    ATTR_NUMBER,
    ATTR_VALUES,
    DOMAIN,
)
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
# Configuration names and values are checked by the library against each phone's dialect.
_NAMES = probatio.All(cv.ensure_list, [cv.string])
_VALUES = probatio.Schema({cv.string: cv.string})


@dataclass(frozen=True, kw_only=True)
class PhoneAction:
    """An action: what the phone must be able to do, the fields it takes, and the command."""

    capability: Capability
    fields: Mapping[Any, Any] = field(default_factory=dict)
    command_fn: Callable[[PhoneClient, Mapping[str, Any]], Awaitable[None]]
    # Turns the action's data into what this phone is sent (a contact into its number).
    prepare_fn: Prepare = _as_given
    validators: tuple[Callable[[Any], Any], ...] = ()
    # The phone goes away after it: expected, so not logged as an error.
    restarts: bool = False


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
    "resume_call": _line_action(Capability.RESUME_CALL, PhoneClient.resume_call),
    "reboot": PhoneAction(
        capability=Capability.REBOOT,
        command_fn=lambda client, _: client.reboot(),
        restarts=True,
    ),
    "send_keys": PhoneAction(
        capability=Capability.SEND_KEYS,
        fields={probatio.Required(ATTR_KEYS): cv.string},
        command_fn=lambda client, data: client.send_keys(data[ATTR_KEYS]),
    ),
    "set_config": PhoneAction(
        capability=Capability.SET_CONFIG,
        fields={probatio.Required(ATTR_VALUES): _VALUES},
        command_fn=lambda client, data: client.set_config(data[ATTR_VALUES]),
    ),
    "delete_config": PhoneAction(
        capability=Capability.DELETE_CONFIG,
        fields={probatio.Required(ATTR_NAMES): _NAMES},
        command_fn=lambda client, data: client.delete_config(data[ATTR_NAMES]),
    ),
}
# What each action needs the phone to be able to do, the answering get_config included.
CAPABILITIES: dict[str, Capability] = {name: action.capability for name, action in ACTIONS.items()}
CAPABILITIES["get_config"] = Capability.GET_CONFIG


# What a target can name besides devices and entities: the phones in it are acted on.
_GROUPS = (ATTR_AREA_ID, ATTR_FLOOR_ID, ATTR_LABEL_ID)
# The keys that name phones: the action's target, or config entries.
TARGET_KEYS = (ATTR_ENTITY_ID, ATTR_DEVICE_ID, *_GROUPS, ATTR_CONFIG_ENTRY_ID)
_IDS = probatio.All(cv.ensure_list, [cv.string])
PHONE_FIELDS: dict[Any, Any] = {
    probatio.Optional(ATTR_ENTITY_ID): cv.comp_entity_ids_or_uuids,
    **{probatio.Optional(key): _IDS for key in (ATTR_DEVICE_ID, *_GROUPS, ATTR_CONFIG_ENTRY_ID)},
}
TARGETED = cv.has_at_least_one_key(*TARGET_KEYS)


async def async_get_target_coordinators(call: ServiceCall) -> list[IpPhoneCoordinator]:
    """Return the phones a call targets; each must be loaded, and there must be one."""
    hass = call.hass
    entry_ids: set[str] = set(call.data.get(ATTR_CONFIG_ENTRY_ID, []))
    for device_id in call.data.get(ATTR_DEVICE_ID, []):
        _, entry = async_get_device_and_config_entry(hass, DOMAIN, device_id)
        entry_ids.add(entry.entry_id)
    registry = er.async_get(hass)
    for entity_id in call.data.get(ATTR_ENTITY_ID, []):
        entity = registry.async_get(entity_id)
        if entity is None or entity.platform != DOMAIN or entity.config_entry_id is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="not_a_phone_entity",
                translation_placeholders={"entity_id": entity_id},
            )
        entry_ids.add(entity.config_entry_id)
    if any(call.data.get(key) for key in _GROUPS):
        found = await async_extract_config_entry_ids(call)
        entry_ids |= {
            entry.entry_id
            for entry in hass.config_entries.async_entries(DOMAIN)
            if entry.entry_id in found
        }
    if not entry_ids:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="no_phone")
    entries: list[IpPhoneConfigEntry] = [
        async_get_config_entry(hass, DOMAIN, entry_id) for entry_id in sorted(entry_ids)
    ]
    return [entry.runtime_data for entry in entries]


@callback
def _async_check(coordinator: IpPhoneCoordinator, action: str, data: Mapping[str, Any]) -> None:
    """Refuse, before anything is sent, what this phone cannot do or does not have."""
    placeholders = {"phone": coordinator.config_entry.title}
    if CAPABILITIES[action] not in coordinator.client.capabilities:
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
    coordinators = await async_get_target_coordinators(call)
    for coordinator in coordinators:
        _async_check(coordinator, call.service, call.data)
    action = ACTIONS[call.service]
    prepared = [await action.prepare_fn(call.hass, c, call.data) for c in coordinators]

    async def send(coordinator: IpPhoneCoordinator, data: Mapping[str, Any]) -> None:
        send = coordinator.async_restart if action.restarts else coordinator.async_send
        await send(_bound(action, data))

    results = await asyncio.gather(
        *(
            send(coordinator, data)
            for coordinator, data in zip(coordinators, prepared, strict=True)
        ),
        return_exceptions=True,
    )
    for result in results:
        if isinstance(result, BaseException):
            raise result


async def _async_get_config(call: ServiceCall) -> ServiceResponse:
    """Read configuration values from every phone the call targets, one answer per phone."""
    coordinators = await async_get_target_coordinators(call)
    for coordinator in coordinators:
        _async_check(coordinator, call.service, call.data)
    names = call.data[ATTR_NAMES]
    results = await asyncio.gather(
        *(coordinator.async_query(lambda c: c.get_config(names)) for coordinator in coordinators)
    )
    return {
        "phones": [
            {
                "config_entry_id": coordinator.config_entry.entry_id,
                "name": coordinator.config_entry.title,
                "values": dict[str, JsonValueType](values),
            }
            for coordinator, values in zip(coordinators, results, strict=True)
        ]
    }


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the phone actions."""
    for name, action in ACTIONS.items():
        hass.services.async_register(
            DOMAIN,
            name,
            _async_handle,
            schema=probatio.All(
                probatio.Schema({**PHONE_FIELDS, **action.fields}),
                TARGETED,
                *action.validators,
            ),
        )
    hass.services.async_register(
        DOMAIN,
        "get_config",
        _async_get_config,
        schema=probatio.All(
            probatio.Schema({**PHONE_FIELDS, probatio.Required(ATTR_NAMES): _NAMES}), TARGETED
        ),
        supports_response=SupportsResponse.ONLY,
    )
