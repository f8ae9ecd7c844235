"""Sensors of an IP phone: its overall state and the state of every line."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, override

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
)
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import Account, Capability, Line, LineState, PhoneState, PhoneStatus
from .caller import caller_of, current_line
from .coordinator import IpPhoneConfigEntry, IpPhoneCoordinator
from .directory import async_get_directory
from .entity import (
    IpPhoneEntity,
    IpPhoneItemEntity,
    IpPhoneItemEntityDescription,
    async_add_item_entities,
    polls_lines,
)

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class IpPhoneSensorEntityDescription(SensorEntityDescription):
    """Describes a sensor of the whole phone."""

    exists_fn: Callable[[IpPhoneCoordinator], bool] = lambda _: True
    value_fn: Callable[[PhoneStatus], str | None]


@dataclass(frozen=True, kw_only=True)
class IpPhoneLineSensorEntityDescription(
    SensorEntityDescription, IpPhoneItemEntityDescription[Line, str | None]
):
    """Describes the sensor of each line."""


@dataclass(frozen=True, kw_only=True)
class IpPhoneAccountSensorEntityDescription(
    SensorEntityDescription, IpPhoneItemEntityDescription[Account, str | None]
):
    """Describes a diagnostic sensor of each SIP account."""


def _known[T: PhoneState | LineState](state: T) -> T | None:
    """Return the state, or None (shown as unknown) where the phone said nothing understood."""
    return None if state in {PhoneState.UNKNOWN, LineState.UNKNOWN} else state


SENSORS: tuple[IpPhoneSensorEntityDescription, ...] = (
    IpPhoneSensorEntityDescription(
        key="phone_state",
        translation_key="phone_state",
        device_class=SensorDeviceClass.ENUM,
        options=[state.value for state in PhoneState if state is not PhoneState.UNKNOWN],
        exists_fn=polls_lines,
        value_fn=lambda status: _known(status.state),
    ),
)

CALLER_SENSOR = SensorEntityDescription(key="caller", translation_key="caller")

LINE_SENSOR = IpPhoneLineSensorEntityDescription(
    key="line",
    translation_key="line",
    device_class=SensorDeviceClass.ENUM,
    options=[state.value for state in LineState if state is not LineState.UNKNOWN],
    items_fn=lambda status: status.lines,
    value_fn=lambda line: _known(line.state),
    attributes_fn=lambda line: {
        "remote_number": line.remote_number or None,
        "remote_name": line.remote_name or None,
        "account": line.account,
    },
)


ACCOUNT_SIP_ID_SENSOR = IpPhoneAccountSensorEntityDescription(
    key="account_sip_id",
    translation_key="account_sip_id",
    entity_category=EntityCategory.DIAGNOSTIC,
    items_fn=lambda status: status.accounts,
    exists_fn=lambda account: bool(account.sip_id) and account.enabled is not False,
    value_fn=lambda account: account.sip_id or None,
    attributes_fn=lambda _: {},
)


# When the phone last started: from its uptime (Web API api-get_time, GMI uptime, Fanvil
# info.sys.UpTime), read now and then and steady in between (restart.py).
LAST_RESTART = SensorEntityDescription(
    key="last_restart",
    translation_key="last_restart",
    device_class=SensorDeviceClass.TIMESTAMP,
    entity_category=EntityCategory.DIAGNOSTIC,
)


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001
    entry: IpPhoneConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the sensors of a phone, and one for every line it has."""
    coordinator = entry.runtime_data
    async_add_entities(
        IpPhoneSensorEntity(coordinator, description)
        for description in SENSORS
        if description.exists_fn(coordinator)
    )
    async_add_entities([IpPhoneCallerSensorEntity(coordinator, CALLER_SENSOR)])
    if Capability.UPTIME in coordinator.client.capabilities:
        async_add_entities([IpPhoneRestartSensorEntity(coordinator, LAST_RESTART)])
    async_add_item_entities(coordinator, async_add_entities, LINE_SENSOR, IpPhoneLineSensorEntity)
    async_add_item_entities(
        coordinator, async_add_entities, ACCOUNT_SIP_ID_SENSOR, IpPhoneAccountSensorEntity
    )


class IpPhoneSensorEntity(IpPhoneEntity, SensorEntity):
    """A sensor of the whole phone."""

    entity_description: IpPhoneSensorEntityDescription

    @property
    @override
    def native_value(self) -> str | None:
        """Return the state."""
        return self.entity_description.value_fn(self.coordinator.data)


class IpPhoneLineSensorEntity(IpPhoneItemEntity[Line, str | None], SensorEntity):
    """The state of one line, with the other party in its attributes."""

    entity_description: IpPhoneLineSensorEntityDescription

    @property
    @override
    def native_value(self) -> str | None:
        """Return the line's state."""
        return self.value

    @property
    @override
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """Return the other party, with the contact's name when the number is known."""
        attributes = super().extra_state_attributes
        if attributes is None or self.item is None:
            return attributes
        contact = async_get_directory(self.hass).async_name_for(self.item.remote_number)
        return {**attributes, "remote_contact": contact}


class IpPhoneCallerSensorEntity(IpPhoneEntity, SensorEntity):
    """Who is calling the phone now (or who its call is with), for a dashboard at a glance."""

    @property
    @override
    def native_value(self) -> str | None:
        """Return the contact's name, else the name the phone shows, else the number."""
        directory = async_get_directory(self.hass)
        return caller_of(current_line(self.coordinator.data.lines), directory.async_name_for)


class IpPhoneAccountSensorEntity(IpPhoneItemEntity[Account, str | None], SensorEntity):
    """A detail of one SIP account, for those who look it up or automate on it."""

    entity_description: IpPhoneAccountSensorEntityDescription

    @property
    @override
    def native_value(self) -> str | None:
        """Return the detail."""
        return self.value


class IpPhoneRestartSensorEntity(IpPhoneEntity, SensorEntity):
    """When the phone last started; unknown until its uptime was read."""

    @property
    @override
    def native_value(self) -> datetime | None:
        """Return the last restart."""
        return self.coordinator.restart.last_restart
