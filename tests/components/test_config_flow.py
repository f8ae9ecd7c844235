"""Every path of the config flow, against simulated phones; each error is followed by recovery."""

from collections.abc import AsyncIterator
from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import SOURCE_DHCP, SOURCE_USER
from homeassistant.const import (
    CONF_HOST,
    CONF_PASSWORD,
    CONF_PORT,
    CONF_SSL,
    CONF_USERNAME,
    CONF_VERIFY_SSL,
    CONF_WEBHOOK_ID,
)
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers.service_info.dhcp import DhcpServiceInfo
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ip_phone.api import PhoneConnectionError, WebApiClient
from custom_components.ip_phone.const import (
    CONF_DIALECT,
    CONF_PASSCODE,
    CONF_TOKEN_SEPARATOR,
    DOMAIN,
)
from custom_components.ip_phone.factory import async_create_phone_client
from simulator import Dialect, Faults, SimulatedPhone, SimulatorServer, Timings, serve
from tests.helpers import PASSWORD

from .conftest import ALL_DIALECTS, TITLES, UNIQUE_IDS, USERNAMES, WEBHOOK_ID


@pytest.fixture(autouse=True)
def no_setup() -> Any:
    """Create entries without setting them up; setting up is test_init's business."""
    with patch("custom_components.ip_phone.async_setup_entry", return_value=True) as mock:
        yield mock


def connection(server: SimulatorServer, **changes: Any) -> dict[str, Any]:
    return {
        CONF_HOST: server.host,
        CONF_PORT: server.port,
        CONF_SSL: False,
        CONF_VERIFY_SSL: True,
        **changes,
    }


def login(dialect: Dialect, password: str = PASSWORD) -> dict[str, Any]:
    """Return what a user types into the dialect's login form."""
    if dialect is Dialect.GRANDSTREAM_CTI:
        return {CONF_PASSCODE: password}
    return {CONF_USERNAME: USERNAMES[dialect], CONF_PASSWORD: password}


def entry_data(dialect: Dialect, server: SimulatorServer) -> dict[str, Any]:
    # A Web API entry keeps the token separator that worked (the guide's "." on the simulator).
    separator = {CONF_TOKEN_SEPARATOR: "."} if dialect is Dialect.GRANDSTREAM_WEBAPI else {}
    return {
        **connection(server),
        CONF_DIALECT: dialect.value,
        CONF_USERNAME: USERNAMES[dialect],
        CONF_PASSWORD: PASSWORD,
        **separator,
    }


def created_data(result: dict[str, Any]) -> dict[str, Any]:
    """Return a new entry's data, checking its webhook id: 256 random bits, as hex."""
    data = dict(result["data"])
    webhook_id = data.pop(CONF_WEBHOOK_ID)
    assert len(webhook_id) == 64
    assert int(webhook_id, 16) >= 0
    return data


def suggested(result: dict[str, Any]) -> dict[str, Any]:
    """Return the values a form shows already filled in."""
    return {
        str(key): key.description["suggested_value"]
        for key in result["data_schema"].schema
        if key.description and "suggested_value" in key.description
    }


async def start(hass: HomeAssistant, server: SimulatorServer) -> dict[str, Any]:
    """Start a user flow and submit the phone's address."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] == {}
    return await hass.config_entries.flow.async_configure(result["flow_id"], connection(server))


@pytest.fixture
async def other_phone() -> AsyncIterator[SimulatorServer]:
    """Serve a second Web API phone, with its own MAC."""
    phone = SimulatedPhone(
        Dialect.GRANDSTREAM_WEBAPI,
        password=PASSWORD,
        mac="00:0B:82:AB:CD:EF",
        timings=Timings.instant(),
    )
    async with serve(phone) as running:
        yield running


# User flow ---------------------------------------------------------------------------------------
@ALL_DIALECTS
async def test_user_flow(hass: HomeAssistant, dialect: Dialect, server: SimulatorServer) -> None:
    result = await start(hass, server)
    if dialect is Dialect.GRANDSTREAM_CTI:
        # CTI cannot be probed without sending the passcode, so the user confirms the API.
        assert result["type"] is FlowResultType.FORM
        assert result["step_id"] == "dialect"
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_DIALECT: dialect.value}
        )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == dialect.value

    result = await hass.config_entries.flow.async_configure(result["flow_id"], login(dialect))

    assert result["type"] is FlowResultType.CREATE_ENTRY
    # A CTI phone tells no model: named after the API chosen and its port, never its address.
    title = f"Grandstream GRP26xx (port {server.port})"
    assert result["title"] == (title if dialect is Dialect.GRANDSTREAM_CTI else TITLES[dialect])
    assert created_data(result) == entry_data(dialect, server)
    assert result["result"].unique_id == UNIQUE_IDS[dialect]


async def test_user_flow_suggests_the_api_account(
    hass: HomeAssistant, server: SimulatorServer
) -> None:
    result = await start(hass, server)
    assert suggested(result) == {CONF_USERNAME: "gmiadmin"}


async def test_user_flow_without_port(hass: HomeAssistant, server: SimulatorServer) -> None:
    """An empty port means the scheme's usual one, and is not stored."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    with patch("custom_components.ip_phone.config_flow.detect") as detect:
        detect.side_effect = PhoneConnectionError("refused")
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_HOST: " phone.local ", CONF_SSL: True, CONF_VERIFY_SSL: False}
        )
    assert result["errors"] == {"base": "cannot_connect"}
    assert detect.call_args.args[1] == "phone.local"
    assert detect.call_args.kwargs == {"port": None, "https": True, "verify_ssl": False}


async def test_user_flow_ipv6_brackets(hass: HomeAssistant) -> None:
    """An IPv6 address typed as in a URL is kept without its brackets, which yarl refuses."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    with patch("custom_components.ip_phone.config_flow.detect") as detect:
        detect.side_effect = PhoneConnectionError("refused")
        await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_HOST: "[fe80::1]", CONF_SSL: False, CONF_VERIFY_SSL: True}
        )
    assert detect.call_args.args[1] == "fe80::1"


async def test_user_flow_port_with_the_host(hass: HomeAssistant, server: SimulatorServer) -> None:
    """A host typed with its port ("127.0.0.1:8081"): the port is taken from it."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_HOST: f"{server.host}:{server.port}", CONF_SSL: False, CONF_VERIFY_SSL: True},
    )
    assert result["step_id"] == Dialect.GRANDSTREAM_WEBAPI.value
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], login(Dialect.GRANDSTREAM_WEBAPI)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert created_data(result) == entry_data(Dialect.GRANDSTREAM_WEBAPI, server)


@pytest.mark.parametrize(
    ("host", "port", "expected"),
    [
        ("[fe80::1]:8080", None, ("fe80::1", 8080)),
        ("fe80::1", None, ("fe80::1", None)),
        ("phone.local:8080", 8080, ("phone.local", 8080)),
    ],
)
async def test_user_flow_host_forms(
    hass: HomeAssistant, host: str, port: int | None, expected: tuple[str, int | None]
) -> None:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    fields = {CONF_HOST: host, CONF_PORT: port, CONF_SSL: False, CONF_VERIFY_SSL: True}
    with patch("custom_components.ip_phone.config_flow.detect") as detect:
        detect.side_effect = PhoneConnectionError("refused")
        await hass.config_entries.flow.async_configure(
            result["flow_id"], {key: value for key, value in fields.items() if value is not None}
        )
    assert (detect.call_args.args[1], detect.call_args.kwargs["port"]) == expected


@pytest.mark.parametrize("dialect", [Dialect.FANVIL])
async def test_user_flow_fanvil_username_with_colon(
    hass: HomeAssistant, server: SimulatorServer
) -> None:
    """HTTP Basic cannot carry a colon in the user name: shown at the field, not a crash."""
    result = await start(hass, server)
    assert result["step_id"] == "fanvil"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: "ad:min", CONF_PASSWORD: PASSWORD}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_USERNAME: "invalid_username"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], login(Dialect.FANVIL)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


@pytest.mark.parametrize("dialect", [Dialect.FANVIL])
async def test_user_flow_fanvil_without_authentication(
    hass: HomeAssistant, phone: SimulatedPhone, server: SimulatorServer
) -> None:
    """A Fanvil phone with Push XML authentication off needs no login."""
    phone.fanvil_auth = False
    result = await start(hass, server)
    assert result["step_id"] == "fanvil"
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_USERNAME] == ""
    assert result["data"][CONF_PASSWORD] == ""


async def test_user_flow_cannot_connect(
    hass: HomeAssistant, phone: SimulatedPhone, server: SimulatorServer
) -> None:
    phone.faults = Faults(drop=True)
    result = await start(hass, server)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "cannot_connect"}

    phone.faults = Faults()
    result = await hass.config_entries.flow.async_configure(result["flow_id"], connection(server))
    assert result["step_id"] == Dialect.GRANDSTREAM_WEBAPI.value


@pytest.mark.parametrize(
    ("host", "errors"),
    [
        ("http://{host}/", {CONF_HOST: "invalid_host"}),
        # The host says one port, the Port field another.
        ("{host}:1", {CONF_PORT: "port_conflict"}),
    ],
)
async def test_user_flow_invalid_host(
    hass: HomeAssistant, server: SimulatorServer, host: str, errors: dict[str, str]
) -> None:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], connection(server, **{CONF_HOST: host.format(host=server.host)})
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors

    result = await hass.config_entries.flow.async_configure(result["flow_id"], connection(server))
    assert result["step_id"] == Dialect.GRANDSTREAM_WEBAPI.value


async def test_user_flow_unknown_error(hass: HomeAssistant, server: SimulatorServer) -> None:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    with patch("custom_components.ip_phone.config_flow.detect", side_effect=RuntimeError):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], connection(server)
        )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "unknown"}

    result = await hass.config_entries.flow.async_configure(result["flow_id"], connection(server))
    assert result["step_id"] == Dialect.GRANDSTREAM_WEBAPI.value


@ALL_DIALECTS
async def test_login_invalid_auth(
    hass: HomeAssistant, dialect: Dialect, phone: SimulatedPhone, server: SimulatorServer
) -> None:
    """A refused login is shown at the password (or passcode), and the next try succeeds."""
    result = await start(hass, server)
    if dialect is Dialect.GRANDSTREAM_CTI:
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_DIALECT: dialect.value}
        )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], login(dialect, "wrong")
    )
    assert result["type"] is FlowResultType.FORM
    secret = CONF_PASSCODE if dialect is Dialect.GRANDSTREAM_CTI else CONF_PASSWORD
    assert result["errors"] == {secret: "invalid_auth"}
    # The password typed is never sent back to the form.
    assert secret not in suggested(result)

    result = await hass.config_entries.flow.async_configure(result["flow_id"], login(dialect))
    assert result["type"] is FlowResultType.CREATE_ENTRY


@pytest.mark.parametrize(
    ("faults", "error"),
    [
        (Faults(drop=True), "cannot_connect"),
        (Faults(malformed=True), "unsupported_device"),
    ],
)
async def test_login_errors(
    hass: HomeAssistant,
    phone: SimulatedPhone,
    server: SimulatorServer,
    faults: Faults,
    error: str,
) -> None:
    result = await start(hass, server)
    phone.faults = faults
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], login(Dialect.GRANDSTREAM_WEBAPI)
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": error}

    phone.faults = Faults()
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], login(Dialect.GRANDSTREAM_WEBAPI)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_login_unknown_error(hass: HomeAssistant, server: SimulatorServer) -> None:
    result = await start(hass, server)
    with patch.object(WebApiClient, "device_info", side_effect=RuntimeError):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], login(Dialect.GRANDSTREAM_WEBAPI)
        )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "unknown"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], login(Dialect.GRANDSTREAM_WEBAPI)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_user_flow_already_configured(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, server: SimulatorServer
) -> None:
    mock_config_entry.add_to_hass(hass)
    result = await start(hass, server)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], login(Dialect.GRANDSTREAM_WEBAPI)
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


@pytest.mark.parametrize("dialect", [Dialect.GRANDSTREAM_CTI])
async def test_user_flow_cti_already_configured(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, server: SimulatorServer
) -> None:
    """A CTI phone tells no MAC: an entry for the same address is the same phone."""
    mock_config_entry.add_to_hass(hass)
    result = await start(hass, server)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_DIALECT: Dialect.GRANDSTREAM_CTI.value}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], login(Dialect.GRANDSTREAM_CTI)
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


@pytest.mark.parametrize("dialect", [Dialect.GRANDSTREAM_CTI])
async def test_manual_dialect_wrong_choice(hass: HomeAssistant, server: SimulatorServer) -> None:
    """Choosing an API the phone does not speak leads back to the choice, not to a dead end."""
    result = await start(hass, server)
    assert result["step_id"] == "dialect"
    assert suggested(result) == {CONF_DIALECT: Dialect.GRANDSTREAM_CTI.value}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_DIALECT: Dialect.GRANDSTREAM_GMI.value}
    )
    assert result["step_id"] == Dialect.GRANDSTREAM_GMI.value
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], login(Dialect.GRANDSTREAM_GMI)
    )
    # Back at the API choice, with the error and the wrong choice shown: choose again.
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "dialect"
    assert result["errors"] == {"base": "unsupported_device"}
    assert suggested(result) == {CONF_DIALECT: Dialect.GRANDSTREAM_GMI.value}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_DIALECT: Dialect.GRANDSTREAM_CTI.value}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], login(Dialect.GRANDSTREAM_CTI)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


# DHCP discovery ----------------------------------------------------------------------------------
def dhcp(mac: str = "000b82123456", ip: str = "127.0.0.1") -> DhcpServiceInfo:
    return DhcpServiceInfo(ip=ip, hostname="gxv3380", macaddress=mac)


@pytest.fixture
def default_port(server: SimulatorServer) -> Any:
    """DHCP knows no port: make the phone's default port the simulator's."""
    with patch("custom_components.ip_phone.config_flow.DHCP_PORT", server.port):
        yield


@ALL_DIALECTS
async def test_dhcp_discovery(
    hass: HomeAssistant, dialect: Dialect, server: SimulatorServer, default_port: None
) -> None:
    mac = UNIQUE_IDS[dialect] or UNIQUE_IDS[Dialect.GRANDSTREAM_WEBAPI]
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=dhcp(mac.replace(":", ""))
    )
    if dialect is Dialect.GRANDSTREAM_CTI:
        # Only a guess: Grandstream's MAC prefixes also cover access points and PBXs.
        assert result["type"] is FlowResultType.ABORT
        assert result["reason"] == "unsupported_device"
        return
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "dhcp_confirm"

    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == dialect.value

    result = await hass.config_entries.flow.async_configure(result["flow_id"], login(dialect))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == mac
    assert created_data(result) == entry_data(dialect, server)


async def test_dhcp_updates_the_host(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    mock_config_entry.add_to_hass(hass)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=dhcp(ip="127.0.0.2")
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert mock_config_entry.data[CONF_HOST] == "127.0.0.2"


async def test_dhcp_cannot_connect(
    hass: HomeAssistant, phone: SimulatedPhone, default_port: None
) -> None:
    phone.faults = Faults(drop=True)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=dhcp()
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "cannot_connect"


# Reauthentication --------------------------------------------------------------------------------
@ALL_DIALECTS
async def test_reauth(
    hass: HomeAssistant,
    dialect: Dialect,
    phone: SimulatedPhone,
    mock_config_entry: MockConfigEntry,
) -> None:
    mock_config_entry.add_to_hass(hass)
    phone.password = "n3w password"
    result = await mock_config_entry.start_reauth_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reauth_confirm"

    result = await hass.config_entries.flow.async_configure(result["flow_id"], login(dialect))
    assert result["type"] is FlowResultType.FORM
    secret = CONF_PASSCODE if dialect is Dialect.GRANDSTREAM_CTI else CONF_PASSWORD
    assert result["errors"] == {secret: "invalid_auth"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], login(dialect, "n3w password")
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert mock_config_entry.data[CONF_PASSWORD] == "n3w password"


async def test_reauth_other_phone(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, other_phone: SimulatorServer
) -> None:
    """The phone now at the address is another one: its login does not belong to this entry."""
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        mock_config_entry, data={**mock_config_entry.data, CONF_PORT: other_phone.port}
    )
    result = await mock_config_entry.start_reauth_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], login(Dialect.GRANDSTREAM_WEBAPI)
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_device"


# Reconfiguration ---------------------------------------------------------------------------------
@pytest.mark.parametrize("dialect", [Dialect.GRANDSTREAM_WEBAPI, Dialect.GRANDSTREAM_SESSION])
async def test_reconfigure(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    server: SimulatorServer,
    dialect: Dialect,
) -> None:
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        mock_config_entry, data={**mock_config_entry.data, CONF_PORT: 1}
    )
    result = await mock_config_entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    # What is stored is shown again, except the password.
    assert suggested(result) == {
        CONF_HOST: server.host,
        CONF_PORT: 1,
        CONF_SSL: False,
        CONF_VERIFY_SSL: True,
        CONF_USERNAME: USERNAMES[dialect],
    }

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**connection(server), **login(dialect)}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    # The webhook id stays: the phone's push URLs hold it.
    assert dict(mock_config_entry.data) == {
        **entry_data(dialect, server),
        CONF_WEBHOOK_ID: WEBHOOK_ID,
    }


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({CONF_HOST: "http://127.0.0.1/"}, {CONF_HOST: "invalid_host"}),
        ({CONF_PASSWORD: "wrong"}, {CONF_PASSWORD: "invalid_auth"}),
        ({CONF_HOST: "127.0.0.1:1"}, {CONF_PORT: "port_conflict"}),
    ],
)
async def test_reconfigure_errors(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    server: SimulatorServer,
    changes: dict[str, Any],
    errors: dict[str, str],
) -> None:
    mock_config_entry.add_to_hass(hass)
    result = await mock_config_entry.start_reconfigure_flow(hass)
    user_input = {**connection(server), **login(Dialect.GRANDSTREAM_WEBAPI)}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**user_input, **changes}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors

    result = await hass.config_entries.flow.async_configure(result["flow_id"], user_input)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"


async def test_reconfigure_other_phone(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, other_phone: SimulatorServer
) -> None:
    mock_config_entry.add_to_hass(hass)
    result = await mock_config_entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**connection(other_phone), **login(Dialect.GRANDSTREAM_WEBAPI)}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_device"


@pytest.mark.parametrize("dialect", [Dialect.GRANDSTREAM_CTI])
@pytest.mark.parametrize(
    ("taken", "reason"), [(False, "reconfigure_successful"), (True, "already_configured")]
)
async def test_reconfigure_cti(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    server: SimulatorServer,
    taken: bool,  # noqa: FBT001
    reason: str,
) -> None:
    """A CTI phone cannot tell who it is, so its new address is taken on trust.

    Unless another entry polls that address: refused, as the add flow refuses it.
    """
    mock_config_entry.add_to_hass(hass)
    entry = mock_config_entry
    if taken:
        entry = MockConfigEntry(
            domain=DOMAIN, title="Grandstream GRP26xx", data={**entry.data, CONF_PORT: 1}
        )
        entry.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**connection(server), **login(Dialect.GRANDSTREAM_CTI)}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == reason
    assert entry.data[CONF_PORT] == (1 if taken else server.port)


# Field-faithful logins ---------------------------------------------------------------------------
def token_logins(phone: SimulatedPhone) -> list[str]:
    """Return the Web API token logins a phone received."""
    return [r.query_string for r in phone.requests if r.path == "/cgi-bin/login"]


@pytest.mark.parametrize("separator", [".", ":"])
async def test_web_api_token_separator_is_found_once_and_kept(
    hass: HomeAssistant, phone: SimulatedPhone, server: SimulatorServer, separator: str
) -> None:
    """The 2021 guide joins the token with ".", the later online guides with ":"."""
    phone.token_separator = separator
    result = await start(hass, server)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], login(Dialect.GRANDSTREAM_WEBAPI)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_TOKEN_SEPARATOR] == separator
    # "." first; ":" costs exactly one more attempt, here in the flow and never while polling.
    assert len(token_logins(phone)) == (1 if separator == "." else 2)
    phone.requests.clear()
    # The client polling the entry uses the stored form: one login, no guessing.
    client = async_create_phone_client(hass, result["data"])
    await client.status()
    assert len(token_logins(phone)) == 1


async def test_web_api_wrong_password_costs_two_attempts_at_most(
    hass: HomeAssistant, phone: SimulatedPhone, server: SimulatorServer
) -> None:
    result = await start(hass, server)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], login(Dialect.GRANDSTREAM_WEBAPI, "wrong")
    )
    assert result["errors"] == {CONF_PASSWORD: "invalid_auth"}
    assert len(token_logins(phone)) == 2
    # The forms login never spent an attempt: the token login proves the password first.
    assert not [r for r in phone.requests if r.path == "/cgi-bin/dologin"]


async def test_reauth_with_a_known_separator_tries_it_alone(
    hass: HomeAssistant, phone: SimulatedPhone, mock_config_entry: MockConfigEntry
) -> None:
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        mock_config_entry, data={**mock_config_entry.data, CONF_TOKEN_SEPARATOR: "."}
    )
    result = await mock_config_entry.start_reauth_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], login(Dialect.GRANDSTREAM_WEBAPI, "wrong")
    )
    assert result["errors"] == {CONF_PASSWORD: "invalid_auth"}
    assert len(token_logins(phone)) == 1


@pytest.mark.parametrize("dialect", [Dialect.GRANDSTREAM_SESSION])
async def test_web_login_locked_says_for_how_long(
    hass: HomeAssistant, phone: SimulatedPhone, server: SimulatorServer
) -> None:
    result = await start(hass, server)
    assert result["step_id"] == "grandstream_session"
    assert suggested(result) == {CONF_USERNAME: "admin"}
    phone.lock_out()
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], login(Dialect.GRANDSTREAM_SESSION)
    )
    assert result["errors"] == {CONF_PASSWORD: "account_locked"}
    assert result["description_placeholders"]["minutes"] == "5"


@pytest.mark.parametrize(
    ("model", "user"), [("GXP2200", "admin"), ("GXV3275", "gmiadmin"), ("GXV3240", "gmiadmin")]
)
@pytest.mark.parametrize("dialect", [Dialect.GRANDSTREAM_GMI])
async def test_gmi_user_follows_the_models_guide(
    hass: HomeAssistant, phone: SimulatedPhone, server: SimulatorServer, model: str, user: str
) -> None:
    """The model is known before the login (productinfo): suggest the user its guide names."""
    phone.model = model
    result = await start(hass, server)
    assert result["step_id"] == "grandstream_gmi"
    assert suggested(result) == {CONF_USERNAME: user}


async def test_reconfigure_starts_from_the_stored_separator(
    hass: HomeAssistant,
    phone: SimulatedPhone,
    server: SimulatorServer,
    mock_config_entry: MockConfigEntry,
) -> None:
    phone.token_separator = ":"
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        mock_config_entry, data={**mock_config_entry.data, CONF_TOKEN_SEPARATOR: ":"}
    )
    result = await mock_config_entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**connection(server), **login(Dialect.GRANDSTREAM_WEBAPI)}
    )
    assert result["reason"] == "reconfigure_successful"
    assert mock_config_entry.data[CONF_TOKEN_SEPARATOR] == ":"
    assert len(token_logins(phone)) == 1  # no "." tried first


async def test_web_api_locked_token_login_says_to_wait(
    hass: HomeAssistant, phone: SimulatedPhone, server: SimulatorServer
) -> None:
    """The token login's "locked" tells no duration: the message says to wait, not how long."""
    result = await start(hass, server)
    phone.lock_out()
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], login(Dialect.GRANDSTREAM_WEBAPI)
    )
    assert result["errors"] == {CONF_PASSWORD: "account_locked_a_while"}
    assert len(token_logins(phone)) == 1  # a locked account is not given the other separator
