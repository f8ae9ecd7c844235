"""The base entities every IP Phone entity is built on."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, override

from homeassistant.core import callback
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .api import Capability, PhoneStatus
from .coordinator import IpPhoneCoordinator
from .device import phone_device_info


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

        self._attr_device_info = phone_device_info(entry, coordinator.identifier, coordinator.info)


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
