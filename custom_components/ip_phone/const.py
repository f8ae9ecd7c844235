"""Constants for the IP Phone integration."""

from datetime import timedelta
import logging
from typing import Final

DOMAIN: Final = "ip_phone"
LOGGER: Final = logging.getLogger(__package__)

# Call state must feel live; phones answer a status poll in a few milliseconds.
SCAN_INTERVAL: Final = timedelta(seconds=10)

# Seconds a phone has to answer a request: what an action against a phone that never answers
# takes to fail (nothing else waits behind it).
REQUEST_TIMEOUT: Final = 10.0
# How long a phone may stay away after a restart the user asked for before that is an error again.
RESTART_GRACE: Final = timedelta(minutes=5)

# A push is read at once; pushes within this many seconds of a refresh share the next one. A lone
# event waits for nothing, a burst costs a handful of refreshes (at most five a second), and an
# intercom that answers at once still shows "answered" within a fifth of a second.
PUSH_COOLDOWN: Final = 0.2

# Config entry data, next to CONF_HOST, CONF_PORT, CONF_SSL, CONF_VERIFY_SSL, CONF_USERNAME and
# CONF_PASSWORD from homeassistant.const.
CONF_DIALECT: Final = "dialect"
# The CTI dialect's form field; stored as CONF_PASSWORD like every other dialect's secret.
CONF_PASSCODE: Final = "passcode"
# What joins a Web API token's MD5 input on this phone ("." or ":"), as found in the config flow.
CONF_TOKEN_SEPARATOR: Final = "token_separator"  # noqa: S105 - a key, not a secret

# Service fields.
ATTR_ACCOUNT: Final = "account"
ATTR_KEYS: Final = "keys"
ATTR_LINE: Final = "line"
ATTR_NUMBER: Final = "number"

# Voice and contacts. A phone's phonebook is read after setup, then every 6 hours (as core's
# fritzbox_callmonitor does), and again when a name is not found, at most once a minute.
PHONEBOOK_INTERVAL: Final = timedelta(hours=6)
PHONEBOOK_RETRY: Final = timedelta(minutes=1)
# Options of a phone's entry.
CONF_CONTACTS: Final = "contacts"
CONF_USE_PHONEBOOK: Final = "use_phonebook"
CONF_VOICE_DEFAULT: Final = "voice_default"
# A contact in the options, and the contact actions' fields.
ATTR_ALIASES: Final = "aliases"
ATTR_CONTACT: Final = "contact"
ATTR_NAME: Final = "name"
ATTR_NUMBER_TYPE: Final = "number_type"
ATTR_PERSON: Final = "person"
ATTR_SEARCH: Final = "search"
ATTR_GROUP: Final = "group"
# Who makes the phones of each dialect, and the model of those whose API does not tell it: the
# CTI guide is written for the GRP26xx phones.
DIALECT_VENDORS: Final = {
    "grandstream_webapi": "Grandstream",
    "grandstream_gmi": "Grandstream",
    "grandstream_cti": "Grandstream",
    "grandstream_session": "Grandstream",
    "fanvil": "Fanvil",
}
UNTOLD_MODELS: Final = {"grandstream_cti": "GRP26xx"}
ATTR_NAMES: Final = "names"
# Option: Home Assistant wrote the phone's Action URLs (so Configure offers to clear them).
CONF_PUSH_SET_UP: Final = "push_set_up"
ATTR_VALUES: Final = "values"
