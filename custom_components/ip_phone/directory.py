"""Every phone's contacts in one index: for voice commands, the actions and naming callers.

The index is built when first needed and again only after something it holds changed: a phone set
up or unloaded, a phone's options, a phonebook read anew, a device renamed.
"""

import asyncio
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.util.hass_dict import HassKey

from .api import Contact, NumberKind
from .const import (
    ATTR_ALIASES,
    ATTR_NAME,
    ATTR_NUMBER,
    ATTR_PERSON,
    CONF_CONTACTS,
    CONF_USE_PHONEBOOK,
    DOMAIN,
    PHONEBOOK_INTERVAL,
)
from .contacts import (
    ContactAmbiguousError,
    ContactIndex,
    ContactNotFoundError,
    Known,
    Resolved,
    Source,
    compact_number,
)
from .coordinator import IpPhoneConfigEntry, IpPhoneCoordinator
from .phonebook import PhonebookCache

DATA_DIRECTORY: HassKey[ContactDirectory] = HassKey(f"{DOMAIN}_directory")
# Dialling order of a phonebook contact's numbers; fax is never called.
DIAL_KINDS = (NumberKind.WORK, NumberKind.MOBILE, NumberKind.HOME)


def phonebook_known(contact: Contact, entry_id: str) -> Known | None:
    """Return a phonebook contact as the index holds it; None if it has no number to call."""
    numbers = {kind: number for kind, number in contact.numbers.items() if kind in DIAL_KINDS}
    if not numbers:
        return None
    first = next(iter(numbers.values()))
    return Known(
        name=contact.name,
        number=first,
        source=Source.PHONEBOOK,
        entry_id=entry_id,
        numbers=numbers,
    )


def option_known(hass: HomeAssistant, item: Mapping[str, Any], entry_id: str) -> Known:
    """Return a contact of a phone's options; a linked person's name is one more alias."""
    aliases = list(item.get(ATTR_ALIASES) or [])
    if (person := item.get(ATTR_PERSON)) and (state := hass.states.get(person)) is not None:
        aliases.append(state.name)
    return Known(
        name=item[ATTR_NAME],
        number=item[ATTR_NUMBER],
        source=Source.CONTACT,
        entry_id=entry_id,
        aliases=tuple(aliases),
    )


def phone_name(hass: HomeAssistant, coordinator: IpPhoneCoordinator) -> str:
    """Return the phone's name as the user sees it: its device's name, else the entry's title."""
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, coordinator.identifier), coordinator.config_entry.entry_id
    )
    if device is not None:
        return device.name_by_user or device.name or coordinator.config_entry.title
    return coordinator.config_entry.title


def phone_number(coordinator: IpPhoneCoordinator) -> str:
    """Return the SIP id that reaches the phone: its first account with one."""
    accounts = coordinator.data.accounts if coordinator.data else ()
    return next((account.sip_id for account in accounts if account.sip_id), "")


class ContactDirectory:
    """The contacts of every loaded phone, and each phone's phonebook cache."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Start empty; phones add their phonebooks as they are set up."""
        self.hass = hass
        self.phonebooks: dict[str, PhonebookCache] = {}
        # The phones set up, from the start of their setup (not only once loaded: their entities
        # name callers while the setup still runs).
        self.entries: dict[str, IpPhoneConfigEntry] = {}
        self._index: ContactIndex | None = None

    @callback
    def async_invalidate(self) -> None:
        """Forget the index: it is built again when next needed."""
        self._index = None

    @callback
    def async_index(self) -> ContactIndex:
        """Return the index, building it if something changed since."""
        if self._index is None:
            self._index = ContactIndex(self._async_known())
        return self._index

    def _async_known(self) -> Iterator[Known]:
        for entry in self.entries.values():
            coordinator = entry.runtime_data
            for item in entry.options.get(CONF_CONTACTS, []):
                yield option_known(self.hass, item, entry.entry_id)
            phonebook = self.phonebooks.get(entry.entry_id)
            if phonebook is not None and entry.options.get(CONF_USE_PHONEBOOK, True):
                for contact in phonebook.contacts:
                    if (known := phonebook_known(contact, entry.entry_id)) is not None:
                        yield known
            if number := phone_number(coordinator):
                name = phone_name(self.hass, coordinator)
                yield Known(name=name, number=number, source=Source.PHONE, entry_id=entry.entry_id)

    async def async_resolve(
        self, text: str, entry_id: str | None = None, kind: NumberKind | None = None
    ) -> Resolved:
        """Return who `text` is; on a miss, stale phonebooks are read again and it is retried."""
        try:
            return self.async_index().resolve(text, entry_id, kind)
        except ContactNotFoundError:
            read = await asyncio.gather(
                *(cache.async_refresh_if_stale() for cache in self.phonebooks.values())
            )
            if not any(read):
                raise
            return self.async_index().resolve(text, entry_id, kind)

    @callback
    def async_name_for(self, number: str | None) -> str | None:
        """Return the contact name of a caller's number, if anyone known has it."""
        return self.async_index().name_for(compact_number(number or ""))


@callback
def async_get_directory(hass: HomeAssistant) -> ContactDirectory:
    """Return the directory, making it (and its listener for renamed devices) the first time."""
    if (directory := hass.data.get(DATA_DIRECTORY)) is None:
        directory = hass.data[DATA_DIRECTORY] = ContactDirectory(hass)

        @callback
        def _renamed(event: Event[dr.EventDeviceRegistryUpdatedData]) -> None:
            if event.data["action"] == "update":
                directory.async_invalidate()

        hass.bus.async_listen(dr.EVENT_DEVICE_REGISTRY_UPDATED, _renamed)
    return directory


@callback
def async_setup_contacts(hass: HomeAssistant, entry: IpPhoneConfigEntry) -> None:
    """Give a set-up phone its phonebook cache: read now in the background, then every 6 hours."""
    directory = async_get_directory(hass)
    coordinator = entry.runtime_data
    cache = PhonebookCache(coordinator.client, entry.title, directory.async_invalidate)
    directory.phonebooks[entry.entry_id] = cache
    directory.entries[entry.entry_id] = entry
    directory.async_invalidate()

    @callback
    def _refresh(_: datetime | None = None) -> None:
        entry.async_create_background_task(
            hass, cache.async_refresh_quietly(), f"{DOMAIN} phonebook {entry.entry_id}"
        )

    @callback
    def _forget() -> None:
        directory.phonebooks.pop(entry.entry_id, None)
        directory.entries.pop(entry.entry_id, None)
        directory.async_invalidate()

    entry.async_on_unload(_forget)
    entry.async_on_unload(async_track_time_interval(hass, _refresh, PHONEBOOK_INTERVAL))
    entry.async_on_unload(entry.add_update_listener(_async_options_updated))
    if cache.supported:
        _refresh()


async def _async_options_updated(hass: HomeAssistant, entry: IpPhoneConfigEntry) -> None:  # noqa: ARG001
    """Take a phone's new contact list without reloading it."""
    async_get_directory(hass).async_invalidate()


async def async_number_for(
    hass: HomeAssistant, coordinator: IpPhoneCoordinator, contact: str
) -> Resolved:
    """Return whom `contact` names for a call from this phone; ServiceValidationError if nobody."""
    placeholders = {"phone": coordinator.config_entry.title, "contact": contact}
    try:
        return await async_get_directory(hass).async_resolve(
            contact, coordinator.config_entry.entry_id
        )
    except ContactAmbiguousError as err:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="ambiguous_contact",
            translation_placeholders={**placeholders, "candidates": ", ".join(err.candidates)},
        ) from None
    except ContactNotFoundError:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="unknown_contact",
            translation_placeholders=placeholders,
        ) from None
