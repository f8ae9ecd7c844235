"""The base entities every IP Phone entity is built on."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, override

from homeassistant.const import CONF_HOST, CONF_PORT, CONF_SSL
from homeassistant.core import callback
from homeassistant.helpers.device_registry import (
    CONNECTION_NETWORK_MAC,
    DeviceInfo,
    format_mac,
)
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity
import yarl

from .api import Capability, DeviceInfo as PhoneInfo, PhoneStatus
from .const import CONF_DIALECT, DIALECT_VENDORS, DOMAIN, UNTOLD_MODELS
from .coordinator import IpPhoneCoordinator

# One name per vendor, whichever the phone tells ("Grandstream Networks, Inc." or "Grandstream").
_VENDORS = ("Grandstream", "Fanvil")


def vendor_name(vendor: str | None) -> str | None:
    """Return the vendor's one name, the phone's own spelling for a vendor not listed."""
    if not vendor:
        return None
    return next((name for name in _VENDORS if name.lower() in vendor.lower()), vendor)


def model_name(info: PhoneInfo, dialect: str) -> str | None:
    """Return the model the phone tells, else the one its API is written for (CTI: GRP26xx)."""
    return info.model or UNTOLD_MODELS.get(dialect)


def polls_lines(coordinator: IpPhoneCoordinator) -> bool:
    """Tell whether the phone's lines are polled, so that its state is known."""
    return Capability.LINE_STATUS in coordinator.client.capabilities


class IpPhoneEntity(CoordinatorEntity[IpPhoneCoordinator]):
    """An entity of one phone."""

    _attr_has_entity_name = True

    def __init__(
        self,
        coordinator: IpPhoneCoordinator,
        description: EntityDescription,
        key: str | None = None,
    ) -> None:
        """Initialize the entity; `key` tells it from its siblings, the description's by default."""
        super().__init__(coordinator)
        self.entity_description = description
        entry = coordinator.config_entry
        self._attr_unique_id = f"{coordinator.identifier}_{key or description.key}"

        info = coordinator.info
        url = yarl.URL.build(
            scheme="https" if entry.data.get(CONF_SSL) else "http",
            host=entry.data[CONF_HOST],
            port=entry.data.get(CONF_PORT),
        )
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, coordinator.identifier)},
            connections={(CONNECTION_NETWORK_MAC, format_mac(info.mac))} if info.mac else set(),
            configuration_url=str(url),
            hw_version=info.hardware,
            manufacturer=vendor_name(info.vendor) or DIALECT_VENDORS[entry.data[CONF_DIALECT]],
            model=model_name(info, entry.data[CONF_DIALECT]),
            name=entry.title,
            serial_number=info.serial,
            sw_version=info.firmware,
        )


class _Indexed(Protocol):
    @property
    def index(self) -> int: ...


@dataclass(frozen=True, kw_only=True)
class IpPhoneItemEntityDescription[ItemT: _Indexed, ValueT](EntityDescription):
    """Describes an entity of each line or account: where it is found, and what it shows."""

    items_fn: Callable[[PhoneStatus], tuple[ItemT, ...]]
    exists_fn: Callable[[ItemT], bool] = lambda _: True
    value_fn: Callable[[ItemT], ValueT]
    attributes_fn: Callable[[ItemT], Mapping[str, Any]]


class IpPhoneItemEntity[ItemT: _Indexed, ValueT](IpPhoneEntity):
    """An entity of one line or account, found by its index in every poll."""

    entity_description: IpPhoneItemEntityDescription[ItemT, ValueT]

    def __init__(
        self,
        coordinator: IpPhoneCoordinator,
        description: IpPhoneItemEntityDescription[ItemT, ValueT],
        index: int,
    ) -> None:
        """Initialize the entity of the line or account `index`."""
        super().__init__(coordinator, description, f"{description.key}_{index}")
        self.index = index
        self._attr_translation_placeholders = {"index": str(index)}

    @property
    def item(self) -> ItemT | None:
        """Return the line or account as last polled; None if the phone stopped reporting it."""
        items = self.entity_description.items_fn(self.coordinator.data)
        return next((item for item in items if item.index == self.index), None)

    @property
    def value(self) -> ValueT | None:
        """Return the state of the line or account."""
        item = self.item
        return None if item is None else self.entity_description.value_fn(item)

    @property
    @override
    def available(self) -> bool:
        """Unavailable while the phone is, or when it stops reporting the line or account."""
        return super().available and self.item is not None

    @property
    @override
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """Return the details of the line or account."""
        item = self.item
        return None if item is None else self.entity_description.attributes_fn(item)


@callback
def async_add_item_entities[ItemT: _Indexed, ValueT](
    coordinator: IpPhoneCoordinator,
    async_add_entities: AddConfigEntryEntitiesCallback,
    description: IpPhoneItemEntityDescription[ItemT, ValueT],
    entity_class: Callable[
        [IpPhoneCoordinator, IpPhoneItemEntityDescription[ItemT, ValueT], int], Entity
    ],
) -> None:
    """Add an entity for every line or account the phone has, and for those that show up later."""
    known: set[int] = set()

    @callback
    def _async_add_new() -> None:
        new = [
            item.index
            for item in description.items_fn(coordinator.data)
            if description.exists_fn(item) and item.index not in known
        ]
        if not new:
            return
        known.update(new)
        async_add_entities(entity_class(coordinator, description, index) for index in new)

    _async_add_new()
    coordinator.config_entry.async_on_unload(coordinator.async_add_listener(_async_add_new))
