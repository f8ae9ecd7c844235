"""Binary sensors of an IP phone: ringing, and the registration of every SIP account."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import override

from homeassistant.components.binary_sensor import (
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.components.binary_sensor.const import BinarySensorDeviceClass
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import Account, PhoneState, PhoneStatus
from .coordinator import IpPhoneConfigEntry, IpPhoneCoordinator
from .entity import (
    IpPhoneEntity,
    IpPhoneItemEntity,
    IpPhoneItemEntityDescription,
    async_add_item_entities,
    polls_lines,
)

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class IpPhoneBinarySensorEntityDescription(BinarySensorEntityDescription):
    """Describes a binary sensor of the whole phone."""

    exists_fn: Callable[[IpPhoneCoordinator], bool] = lambda _: True
    is_on_fn: Callable[[PhoneStatus], bool | None]


@dataclass(frozen=True, kw_only=True)
class IpPhoneAccountBinarySensorEntityDescription(
    BinarySensorEntityDescription, IpPhoneItemEntityDescription[Account, bool | None]
):
    """Describes the binary sensor of each SIP account."""


BINARY_SENSORS: tuple[IpPhoneBinarySensorEntityDescription, ...] = (
    IpPhoneBinarySensorEntityDescription(
        key="ringing",
        translation_key="ringing",
        exists_fn=polls_lines,
        is_on_fn=lambda status: (
            None if status.state is PhoneState.UNKNOWN else status.state is PhoneState.RINGING
        ),
    ),
)

ACCOUNT_BINARY_SENSOR = IpPhoneAccountBinarySensorEntityDescription(
    key="account",
    translation_key="account",
    device_class=BinarySensorDeviceClass.CONNECTIVITY,
    entity_category=EntityCategory.DIAGNOSTIC,
    items_fn=lambda status: status.accounts,
    exists_fn=lambda account: bool(account.sip_id) and account.enabled is not False,
    value_fn=lambda account: account.registered,
    attributes_fn=lambda account: {
        "sip_id": account.sip_id or None,
        "server": account.server or None,
        "account_name": account.name or None,
        "status_code": account.raw_status or None,
    },
)


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001
    entry: IpPhoneConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the binary sensors of a phone."""
    coordinator = entry.runtime_data
    async_add_entities(
        IpPhoneBinarySensorEntity(coordinator, description)
        for description in BINARY_SENSORS
        if description.exists_fn(coordinator)
    )
    # Account slots without a SIP user id, or switched off, are left out.
    async_add_item_entities(
        coordinator, async_add_entities, ACCOUNT_BINARY_SENSOR, IpPhoneAccountBinarySensorEntity
    )


class IpPhoneBinarySensorEntity(IpPhoneEntity, BinarySensorEntity):
    """A binary sensor of the whole phone."""

    entity_description: IpPhoneBinarySensorEntityDescription

    @property
    @override
    def is_on(self) -> bool | None:
        """Return the state."""
        return self.entity_description.is_on_fn(self.coordinator.data)


class IpPhoneAccountBinarySensorEntity(IpPhoneItemEntity[Account, bool | None], BinarySensorEntity):
    """Whether one SIP account is registered, with the account's details in its attributes."""

    entity_description: IpPhoneAccountBinarySensorEntityDescription
    # The phone's raw code moves through values in every registration (GMI: 1, 3, 6): kept out of
    # the history, which would otherwise grow with each of them.
    _unrecorded_attributes = frozenset({"status_code"})

    @property
    @override
    def is_on(self) -> bool | None:
        """Return whether the account is registered."""
        return self.value
