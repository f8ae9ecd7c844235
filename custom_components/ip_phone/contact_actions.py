"""Contact actions: list the contacts (response data), add, edit and delete a phonebook contact."""

from collections.abc import Awaitable, Callable, Mapping
import dataclasses
from typing import Any

from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import config_validation as cv
import probatio

from .api import Capability, Contact, NumberKind, PhoneClient, PhoneError
from .const import (
    ATTR_ALIASES,
    ATTR_CONTACT,
    ATTR_GROUP,
    ATTR_NAME,
    ATTR_NUMBER,
    ATTR_NUMBER_TYPE,
    ATTR_SEARCH,
    CONF_CONTACTS,
    DOMAIN,
)
from .coordinator import IpPhoneCoordinator
from .directory import DIAL_KINDS, async_get_directory, phone_name
from .services import (
    PHONE_FIELDS as PHONES,
    TARGET_KEYS,
    TARGETED,
    async_get_target_coordinators,
)

NUMBER_TYPE = probatio.In([kind.value for kind in DIAL_KINDS])


def _contact_data(contact: Contact, phone: str) -> dict[str, Any]:
    numbers = {kind.value: number for kind, number in contact.numbers.items()}
    return {
        "id": contact.id,
        ATTR_NAME: contact.name,
        ATTR_NUMBER: next(iter(numbers.values()), ""),
        "numbers": numbers,
        "email": contact.email or None,
        ATTR_GROUP: contact.group,
        "source": "phonebook",
        "phone": phone,
    }


def _option_data(item: Mapping[str, Any], phone: str) -> dict[str, Any]:
    return {
        ATTR_NAME: item[ATTR_NAME],
        ATTR_NUMBER: item[ATTR_NUMBER],
        ATTR_ALIASES: list(item.get(ATTR_ALIASES, [])),
        "source": "options",
        "phone": phone,
    }


def _matches(item: Mapping[str, Any], search: str) -> bool:
    names = [item[ATTR_NAME], *item.get(ATTR_ALIASES, [])]
    return any(search in name.casefold() for name in names)


async def _async_read_phonebook(hass: HomeAssistant, coordinator: IpPhoneCoordinator) -> None:
    """Read the phone's phonebook now, as the user asked; HomeAssistantError if it cannot."""
    cache = async_get_directory(hass).phonebooks[coordinator.config_entry.entry_id]
    try:
        await cache.async_refresh()
    except PhoneError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="phonebook_failed",
            translation_placeholders={
                "phone": coordinator.config_entry.title,
                "error": coordinator.client.redact(str(err)),
            },
        ) from None


async def _async_get_contacts(call: ServiceCall) -> ServiceResponse:
    """Return the contacts of the phones given (all phones if none): options and phonebooks."""
    hass = call.hass
    if any(key in call.data for key in TARGET_KEYS):
        coordinators = await async_get_target_coordinators(call)
    else:
        coordinators = [e.runtime_data for e in hass.config_entries.async_loaded_entries(DOMAIN)]
    search = call.data.get(ATTR_SEARCH, "").casefold()
    found: list[dict[str, Any]] = []
    for coordinator in coordinators:
        phone = phone_name(hass, coordinator)
        found += [
            _option_data(item, phone)
            for item in coordinator.config_entry.options.get(CONF_CONTACTS, [])
        ]
        if Capability.CONTACTS in coordinator.client.capabilities:
            await _async_read_phonebook(hass, coordinator)
            cache = async_get_directory(hass).phonebooks[coordinator.config_entry.entry_id]
            found += [_contact_data(contact, phone) for contact in cache.contacts]
    return {"contacts": [item for item in found if _matches(item, search)]}


async def _async_editable(call: ServiceCall) -> list[IpPhoneCoordinator]:
    """Return the phones targeted; each must be able to write its phonebook."""
    coordinators = await async_get_target_coordinators(call)
    for coordinator in coordinators:
        if Capability.EDIT_CONTACTS not in coordinator.client.capabilities:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="action_not_supported",
                translation_placeholders={
                    "phone": coordinator.config_entry.title,
                    "action": call.service,
                },
            )
    return coordinators


async def _async_find(hass: HomeAssistant, coordinator: IpPhoneCoordinator, wanted: str) -> Contact:
    """Return the phonebook contact with this id or name (any case), read fresh from the phone."""
    await _async_read_phonebook(hass, coordinator)
    contacts = async_get_directory(hass).phonebooks[coordinator.config_entry.entry_id].contacts
    fits = [
        c for c in contacts if wanted in (c.id, c.name) or c.name.casefold() == wanted.casefold()
    ]
    if len(fits) == 1:
        return fits[0]
    placeholders = {"phone": coordinator.config_entry.title, "contact": wanted}
    if not fits:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="unknown_phonebook_contact",
            translation_placeholders=placeholders,
        )
    raise ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key="ambiguous_contact",
        translation_placeholders={**placeholders, "candidates": ", ".join(c.id for c in fits)},
    )


async def _async_write(
    hass: HomeAssistant,
    coordinator: IpPhoneCoordinator,
    write: Callable[[PhoneClient], Awaitable[object]],
) -> None:
    """Send a phonebook write, then read the phonebook anew."""

    async def command(client: PhoneClient) -> None:
        await write(client)

    await coordinator.async_send(command)
    await _async_read_phonebook(hass, coordinator)


def _saving(contact: Contact) -> Callable[[PhoneClient], Awaitable[object]]:
    return lambda client: client.save_contact(contact)


def _deleting(contact_id: str) -> Callable[[PhoneClient], Awaitable[object]]:
    return lambda client: client.delete_contact(contact_id)


async def _async_add_contact(call: ServiceCall) -> None:
    """Add a contact to the phonebook of every phone given."""
    kind = NumberKind(call.data.get(ATTR_NUMBER_TYPE, NumberKind.WORK))
    contact = Contact(
        name=call.data[ATTR_NAME],
        group=call.data.get(ATTR_GROUP),
        **{kind.value: call.data[ATTR_NUMBER]},
    )
    for coordinator in await _async_editable(call):
        await _async_write(call.hass, coordinator, _saving(contact))


async def _async_edit_contact(call: ServiceCall) -> None:
    """Change a phonebook contact's name or number on every phone given."""
    for coordinator in await _async_editable(call):
        contact = await _async_find(call.hass, coordinator, call.data[ATTR_CONTACT])
        changes: dict[str, Any] = {}
        if ATTR_NAME in call.data:
            changes[ATTR_NAME] = call.data[ATTR_NAME]
        if ATTR_NUMBER in call.data:
            first = next(iter(contact.numbers), NumberKind.WORK)
            kind = NumberKind(call.data.get(ATTR_NUMBER_TYPE, first))
            changes[kind.value] = call.data[ATTR_NUMBER]
        edited = dataclasses.replace(contact, **changes)
        await _async_write(call.hass, coordinator, _saving(edited))


async def _async_delete_contact(call: ServiceCall) -> None:
    """Delete a phonebook contact, by name or id, on every phone given."""
    for coordinator in await _async_editable(call):
        contact = await _async_find(call.hass, coordinator, call.data[ATTR_CONTACT])
        await _async_write(call.hass, coordinator, _deleting(contact.id))


@callback
def async_setup_contact_services(hass: HomeAssistant) -> None:
    """Register the contact actions."""
    hass.services.async_register(
        DOMAIN,
        "get_contacts",
        _async_get_contacts,
        schema=probatio.Schema({**PHONES, probatio.Optional(ATTR_SEARCH): cv.string}),
        supports_response=SupportsResponse.ONLY,
    )
    contact_fields = {
        probatio.Optional(ATTR_NUMBER_TYPE): NUMBER_TYPE,
        probatio.Optional(ATTR_GROUP): cv.string,
    }
    writes: dict[str, tuple[Any, dict[Any, Any]]] = {
        "add_contact": (
            _async_add_contact,
            {
                probatio.Required(ATTR_NAME): cv.string,
                probatio.Required(ATTR_NUMBER): cv.string,
                **contact_fields,
            },
        ),
        "edit_contact": (
            _async_edit_contact,
            {
                probatio.Required(ATTR_CONTACT): cv.string,
                probatio.Optional(ATTR_NAME): cv.string,
                probatio.Optional(ATTR_NUMBER): cv.string,
                probatio.Optional(ATTR_NUMBER_TYPE): NUMBER_TYPE,
            },
        ),
        "delete_contact": (_async_delete_contact, {probatio.Required(ATTR_CONTACT): cv.string}),
    }
    for name, (handler, fields) in writes.items():
        hass.services.async_register(
            DOMAIN,
            name,
            handler,
            schema=probatio.All(probatio.Schema({**PHONES, **fields}), TARGETED),
        )
