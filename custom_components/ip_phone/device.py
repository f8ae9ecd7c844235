"""The phone as a device: described here only, for its entities and for the device registry."""

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_HOST, CONF_PORT, CONF_SSL
from homeassistant.helpers.device_registry import CONNECTION_NETWORK_MAC, DeviceInfo, format_mac
import yarl

from .api import DeviceInfo as PhoneInfo
from .const import CONF_DIALECT, DIALECT_VENDORS, DOMAIN, UNTOLD_MODELS

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


def phone_device_info(entry: ConfigEntry, identifier: str, info: PhoneInfo) -> DeviceInfo:
    """Describe the phone of `entry`, named by `identifier`, as it told about itself in `info`."""
    dialect = entry.data[CONF_DIALECT]
    url = yarl.URL.build(
        scheme="https" if entry.data.get(CONF_SSL) else "http",
        host=entry.data[CONF_HOST],
        port=entry.data.get(CONF_PORT),
    )
    return DeviceInfo(
        identifiers={(DOMAIN, identifier)},
        connections={(CONNECTION_NETWORK_MAC, format_mac(info.mac))} if info.mac else set(),
        configuration_url=str(url),
        hw_version=info.hardware,
        manufacturer=vendor_name(info.vendor) or DIALECT_VENDORS[dialect],
        model=model_name(info, dialect),
        name=entry.title,
        serial_number=info.serial,
        sw_version=info.firmware,
    )
