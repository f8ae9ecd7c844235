"""Constants for the IP Phone integration."""

from datetime import timedelta
import logging
from typing import Final

DOMAIN: Final = "ip_phone"
LOGGER: Final = logging.getLogger(__package__)

# Call state must feel live; phones answer a status poll in a few milliseconds.
SCAN_INTERVAL: Final = timedelta(seconds=10)
