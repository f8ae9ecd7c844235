"""What a phone of each dialect looks like out of the box."""

from dataclasses import dataclass, replace
from typing import Final

from simulator.enums import Dialect


@dataclass(frozen=True, kw_only=True)
class DialectDefaults:
    """Factory settings of one dialect's phone."""

    username: str
    password: str
    user_password: str
    mac: str
    model: str
    firmware: str
    lines: int
    accounts: int


GRANDSTREAM_MAC: Final = "00:0B:82:12:34:56"
FANVIL_MAC: Final = "0C:38:3E:12:34:56"
# Grandstream's default admin password is "admin"; the user password "123" is the Web API's example.
FACTORY_PASSWORD: Final = "admin"  # noqa: S105 - a factory default, documented
FACTORY_USER_PASSWORD: Final = "123"  # noqa: S105 - a factory default, documented
GMI_EXAMPLE_PASSWORD: Final = "123"  # noqa: S105 - the GMI guide's example

# The Web API guide: token login user "gmiadmin", default passcode "admin".
_WEBAPI: Final = DialectDefaults(
    username="gmiadmin",
    password=FACTORY_PASSWORD,
    user_password=FACTORY_USER_PASSWORD,
    mac=GRANDSTREAM_MAC,
    model="GXV3380",
    firmware="1.0.3.30",
    lines=4,
    accounts=4,
)

DEFAULTS: Final[dict[Dialect, DialectDefaults]] = {
    Dialect.GRANDSTREAM_WEBAPI: _WEBAPI,
    # The GMI guide logs in as admin with secret 123 in every example.
    Dialect.GRANDSTREAM_GMI: replace(
        _WEBAPI,
        username="admin",
        password=GMI_EXAMPLE_PASSWORD,
        model="GXP2200",
        firmware="1.0.3.27",
        lines=3,
        accounts=6,
    ),
    # A WP826 as captured (firmware 1.0.3.35): the web interface's admin login, accounts 1 to 3.
    Dialect.GRANDSTREAM_SESSION: replace(
        _WEBAPI, username="admin", model="WP826", firmware="1.0.3.35", lines=3, accounts=3
    ),
    Dialect.GRANDSTREAM_CTI: replace(
        _WEBAPI, username="admin", model="GRP2603", firmware="1.0.5.67", lines=3, accounts=3
    ),
    Dialect.FANVIL: replace(
        _WEBAPI,
        username="admin",
        mac=FANVIL_MAC,
        model="X6",
        firmware="2.4.6.1",
        lines=2,
        accounts=6,
    ),
}

GRANDSTREAM_VENDOR: Final = "Grandstream Networks, Inc."
FANVIL_VENDOR: Final = "Fanvil"
