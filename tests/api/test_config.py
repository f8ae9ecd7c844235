"""Configuration values, do-not-disturb, text on the screen, uptime and provisioning, over HTTP."""

from collections.abc import Callable
import time

import pytest

from custom_components.ip_phone.api import (
    Capability,
    ConfigNotTakenError,
    PhoneClient,
    PhoneCommandError,
    PhoneResponseError,
    PhoneUnsupportedError,
)
from custom_components.ip_phone.api.config import parse_uptime
from custom_components.ip_phone.api.grandstream import Envelope, check_values_written
from custom_components.ip_phone.api.login import SessionExpiredError
from custom_components.ip_phone.api.webapi import parse_time
from custom_components.ip_phone.api.websession import parse_configs
from simulator import Dialect, Faults, PushEvent as SimPushEvent, SimulatedPhone, SimulatorServer
from tests.helpers import login_attempts

from .conftest import make_phone, served

DND = "call.port.1.EnableDND"


def only(*dialects: Dialect) -> pytest.MarkDecorator:
    """Run a test for these dialects alone."""
    return pytest.mark.parametrize("dialect", dialects, ids=[d.value for d in dialects])


fanvil = only(Dialect.FANVIL)
gmi = only(Dialect.GRANDSTREAM_GMI)


@fanvil
async def test_fanvil_reads_keys_and_nodes(server: SimulatorServer, client: PhoneClient) -> None:
    values = await client.get_config(["sip.line.1.RegisterUser", "tr069.enabled", "no.such.key"])
    assert values == {"sip.line.1.RegisterUser": "1001", "tr069.enabled": "0", "no.such.key": ""}
    node = await client.get_config("sip.line.2.")
    assert node["sip.line.2.RegisterUser"] == "1002"
    assert all(name.startswith("sip.line.2.") for name in node)


@fanvil
async def test_fanvil_writes_and_reads_back(server: SimulatorServer, client: PhoneClient) -> None:
    await client.set_config({"tr069.ACSURL": "http://acs.example/x?a=1&b=<2>"})
    assert server.phone.config["tr069.ACSURL"] == "http://acs.example/x?a=1&b=<2>"
    assert (await client.get_config("tr069.ACSURL"))["tr069.ACSURL"].endswith("&b=<2>")


@fanvil
async def test_fanvil_value_silently_ignored_is_an_error(
    server: SimulatorServer, client: PhoneClient
) -> None:
    server.phone.ignored_config.add("tr069.acsurl")
    with pytest.raises(ConfigNotTakenError, match=r"did not take: tr069\.ACSURL") as err:
        await client.set_config({"tr069.ACSURL": "http://acs.example", "sip.PNPIP": "224.0.1.76"})
    assert err.value.names == ("tr069.ACSURL",)
    assert server.phone.config["sip.PNPIP"] == "224.0.1.76"


@fanvil
async def test_fanvil_refused_write(server: SimulatorServer, client: PhoneClient) -> None:
    server.phone.read_only_config.add("sip.pnpip")
    with pytest.raises(PhoneCommandError, match="RetCode 2"):
        await client.set_config({"sip.PNPIP": "224.0.1.76"})
    assert "sip.PNPIP" not in server.phone.config


@fanvil
@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"info.sys.UpTime": "1"}, "cannot be written"),
        ({"sip line": "1"}, "cannot be written"),
        ({"sip.PNPIP": "a\nb"}, "new line"),
        ({"sip.PNPIP": "x" * 600}, "longer than"),
        ({}, "at least one"),
    ],
)
async def test_fanvil_bad_writes_send_nothing(
    server: SimulatorServer, client: PhoneClient, values: dict[str, str], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        await client.set_config(values)
    assert server.phone.requests == []


@fanvil
async def test_fanvil_value_must_be_text(server: SimulatorServer, client: PhoneClient) -> None:
    with pytest.raises(TypeError, match="must be text"):
        await client.set_config({"sip.PNPIP": 1})  # type: ignore[dict-item]
    with pytest.raises(TypeError, match="must be strings"):
        await client.get_config([1])  # type: ignore[list-item]
    assert server.phone.requests == []


@fanvil
async def test_fanvil_list_records(server: SimulatorServer, client: PhoneClient) -> None:
    await client.set_config(
        {"mmifilter.1.StartIP": "172.16.7.1", "mmifilter.2.StartIP": "172.16.6.1"}
    )
    await client.delete_config("mmifilter.1")
    assert list(await client.get_config("mmifilter.")) == ["mmifilter.2.StartIP"]
    await client.delete_config(["mmifilter."])
    assert await client.get_config("mmifilter.") == {}
    sent = len(server.phone.requests)
    with pytest.raises(ValueError, match="not a list record"):
        await client.delete_config("sip.line.1")
    assert len(server.phone.requests) == sent


@fanvil
async def test_fanvil_dnd(server: SimulatorServer, client: PhoneClient) -> None:
    assert (await client.status()).dnd is False
    await client.set_dnd(True)
    assert server.phone.config[DND] == "1"
    assert (await client.status()).dnd is True
    server.phone.ignored_config.add(DND.lower())
    with pytest.raises(ConfigNotTakenError):
        await client.set_dnd(False)


@fanvil
async def test_fanvil_text_on_screen(server: SimulatorServer, client: PhoneClient) -> None:
    await client.show_text("Front door: parcel <now> & then")
    assert server.phone.screen == ["Home Assistant: Front door: parcel <now> & then"]
    with pytest.raises(ValueError, match="empty"):
        await client.show_text("  ")
    with pytest.raises(ValueError, match="control"):
        await client.show_text("a\x07")
    assert len(server.phone.requests) == 1


@fanvil
async def test_fanvil_uptime_and_diagnostics(server: SimulatorServer, client: PhoneClient) -> None:
    server.phone.boot_time = time.monotonic() - 93784  # 1 day 02:03:04
    assert 93784 <= await client.uptime() <= 93786
    assert await client.diagnostics() == {"memory_free": "1.6M", "flash_free": "12.3M"}


@gmi
async def test_gmi_reads_p_values(server: SimulatorServer, client: PhoneClient) -> None:
    server.phone.config["7044"] = "1"
    values = await client.get_config(["P68", "7044", "904"])
    assert values == {"P68": server.phone.firmware, "7044": "1", "904": ""}
    assert "var-0000=68&var-0001=7044&var-0002=904" in server.phone.requests[-1].query_string


@gmi
async def test_gmi_writes_nothing(server: SimulatorServer, client: PhoneClient) -> None:
    with pytest.raises(PhoneUnsupportedError):
        await client.set_config({"P7044": "1"})
    with pytest.raises(ValueError, match="P-value"):
        await client.get_config("vendor_name")
    assert server.phone.requests == []


@gmi
async def test_gmi_text_reaches_the_screen(server: SimulatorServer, client: PhoneClient) -> None:
    await client.show_text("Front door: parcel")
    assert server.phone.screen == ["Front door: parcel"]
    assert "number=1001&account=0" in server.phone.requests[-1].query_string


async def test_gmi_text_without_an_account_is_refused() -> None:
    phone = make_phone(Dialect.GRANDSTREAM_GMI)
    for account in phone.accounts:
        account.sip_id = ""
    async with served(phone) as server:
        from custom_components.ip_phone.api import create_client

        client = create_client(
            "grandstream_gmi", session=None, host=server.host, port=server.port, password="x"
        )
        client.set_credentials(None, phone.password)
        try:
            with pytest.raises(PhoneCommandError, match="no SIP account"):
                await client.show_text("hello")
        finally:
            await client.close()
    assert phone.screen == []


@gmi
async def test_gmi_uptime_and_diagnostics(server: SimulatorServer, client: PhoneClient) -> None:
    server.phone.boot_time = time.monotonic() - 93784
    assert 93784 <= await client.uptime() <= 93786
    details = await client.diagnostics()
    assert details["part_number"] == server.phone.part_number
    assert details["firmware"] == server.phone.firmware
    assert details["gmi_version"] == "9"
    assert details["network_ip"] == "127.0.0.1"


@only(Dialect.GRANDSTREAM_WEBAPI)
async def test_webapi_provisions(server: SimulatorServer, client: PhoneClient) -> None:
    await client.provision()
    assert "request=PROV" in server.phone.requests[-1].query_string


async def test_capabilities_match_the_methods(dialect: Dialect, client: PhoneClient) -> None:
    if Capability.UPTIME not in client.capabilities:
        with pytest.raises(PhoneUnsupportedError):
            await client.uptime()
    if Capability.SHOW_TEXT not in client.capabilities:
        with pytest.raises(PhoneUnsupportedError):
            await client.show_text("x")
    if Capability.GET_CONFIG not in client.capabilities:
        with pytest.raises(PhoneUnsupportedError):
            await client.get_config("P1")
    if Capability.PROVISION not in client.capabilities:
        with pytest.raises(PhoneUnsupportedError):
            await client.provision()
    if Capability.DND not in client.capabilities:
        with pytest.raises(PhoneUnsupportedError):
            await client.set_dnd(True)
    if Capability.DELETE_CONFIG not in client.capabilities:
        with pytest.raises(PhoneUnsupportedError):
            await client.delete_config("x.")
    assert await client.diagnostics() == {} or dialect in (
        Dialect.FANVIL,
        Dialect.GRANDSTREAM_GMI,
    )


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("1d 02:03:04", 93784),
        (" 21 days, 1 hour, 50 minutes, 23seconds", 21 * 86400 + 3600 + 50 * 60 + 23),
        ("3:04:05", 3 * 3600 + 4 * 60 + 5),
        ("5 min", 300),
        ("soon", None),
    ],
)
def test_parse_uptime(text: str, seconds: int | None) -> None:
    assert parse_uptime(text) == seconds


def test_phone_model_default_has_no_screen() -> None:
    assert SimulatedPhone(Dialect.FANVIL).screen == []


webapi = only(Dialect.GRANDSTREAM_WEBAPI)


@webapi
async def test_webapi_values_read_and_written(server: SimulatorServer, client: PhoneClient) -> None:
    """api-values.get and api-values.post, on the Forms session the guide asks for."""
    await client.set_config({"P1561": "1", "p8310": "http://127.0.0.1:8123/x?e=1&m=$mac"})
    assert server.phone.config["1561"] == "1"
    values = await client.get_config(["P1561", "8310", "vendor_name", "P9999"])
    assert values == {
        "P1561": "1",
        "8310": "http://127.0.0.1:8123/x?e=1&m=$mac",
        "vendor_name": "Grandstream",
        "P9999": "",
    }


@only(Dialect.GRANDSTREAM_WEBAPI, Dialect.GRANDSTREAM_SESSION)
async def test_grandstream_refuses_passwords_and_bad_names(
    server: SimulatorServer, client: PhoneClient
) -> None:
    with pytest.raises(ValueError, match="admin password"):
        await client.set_config({"P2": "new"})
    with pytest.raises(ValueError, match="cannot be written"):
        await client.set_config({"vendor_name": "x"})
    with pytest.raises(ValueError, match="cannot be read"):
        await client.get_config("1561,68")
    with pytest.raises(ValueError, match="new line"):
        await client.set_config({"P1561": "1\n"})
    assert server.phone.requests == []


@webapi
async def test_webapi_value_silently_ignored(server: SimulatorServer, client: PhoneClient) -> None:
    """Success from api-values.post, but the value reads back unchanged."""
    server.phone.config["1561"] = "0"
    server.phone.ignored_config.add("1561")
    with pytest.raises(ConfigNotTakenError, match="P1561"):
        await client.set_config({"P1561": "1"})


@only(Dialect.GRANDSTREAM_WEBAPI)
async def test_webapi_push_set_up_and_cleared(server: SimulatorServer, client: PhoneClient) -> None:
    urls = {"incoming": "http://127.0.0.1:8123/api/webhook/x?event=incoming&mac=$mac"}
    assert await client.set_up_push(urls) == []
    assert server.phone.action_urls == {SimPushEvent.INCOMING: urls["incoming"]}
    server.phone.ignored_config.add("8311")
    assert await client.set_up_push({"outgoing": "http://127.0.0.1/o"}) == ["outgoing"]
    assert await client.clear_push() == []
    assert server.phone.action_urls == {}
    sent = len(server.phone.requests)
    with pytest.raises(ValueError, match="no Action URL setting for ringing"):
        await client.set_up_push({"ringing": "http://x"})
    with pytest.raises(ValueError, match="new line"):
        await client.set_up_push({"incoming": "http://x\n"})
    assert len(server.phone.requests) == sent


@pytest.mark.parametrize("lenient", [False, True], ids=["guide", "lenient"])
async def test_webapi_uptime_from_get_time(
    make_client: Callable[..., PhoneClient], *, lenient: bool
) -> None:
    """api-get_time answers without the envelope, on the Forms session the guide's table names.

    A phone that follows the guide refuses the token session there: one forms login, then the
    uptime; lenient firmware serves it on the token session, and no forms login is spent.
    """
    phone = make_phone(Dialect.GRANDSTREAM_WEBAPI, lenient_auth=lenient)
    phone.boot_time = time.monotonic() - 93784  # 1 day 02:03:04
    async with served(phone) as server:
        client = make_client(server)
        assert 93784 <= await client.uptime() <= 93786
        sent = [request.path for request in phone.requests]
        assert sent.count("/cgi-bin/api-get_time") == (1 if lenient else 2)
        assert sent.count("/cgi-bin/dologin") == (0 if lenient else 1)
        assert login_attempts(phone) == 1  # the token login, which proved the password


@webapi
@pytest.mark.parametrize(
    ("faults", "message"),
    [
        (Faults(malformed=True), "Not JSON"),
        (Faults(status=500), "500"),
    ],
)
async def test_webapi_get_time_malformed(
    server: SimulatorServer, client: PhoneClient, faults: Faults, message: str
) -> None:
    await client.status()  # logged in first: the fault hits api-get_time itself
    server.phone.faults = faults
    with pytest.raises(PhoneResponseError, match=message):
        await client.uptime()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"date": "Tue 08/30/2016", "time": " 11:30AM"}', "tells no uptime: ''"),
        (b'{"uptime": "soon"}', "tells no uptime: 'soon'"),
        (b'{"uptime": {"days": 1}}', "tells no uptime"),
        (b'["uptime"]', "Expected an object"),
        (b'{"response": "error", "body": "busy"}', "api-get_time failed: 'busy'"),
    ],
)
def test_parse_time_refuses_what_is_no_uptime(body: bytes, message: str) -> None:
    with pytest.raises(PhoneResponseError, match=message):
        parse_time(body)


def test_parse_time_reads_the_guides_answer_and_a_refusal() -> None:
    guide = (
        b'{"date": "Tue 08/30/2016", "time": " 11:30AM",'
        b' "uptime": " 21 days, 1 hour, 50 minutes, 23seconds"}'
    )
    assert parse_time(guide) == 21 * 86400 + 3600 + 50 * 60 + 23
    assert parse_time(b'{"response": "error", "body": "unauthorized"}') is None


session = only(Dialect.GRANDSTREAM_SESSION)


@session
async def test_web_login_values_read_and_written(
    server: SimulatorServer, client: PhoneClient
) -> None:
    """config_get and config_update, with the sid as cookie and parameter, and read back."""
    await client.set_config({"P1561": "1", "p8310": "http://127.0.0.1:8123/x?e=1&m=$mac"})
    assert server.phone.config["1561"] == "1"
    server.phone.requests.clear()
    values = await client.get_config(["P1561", "8310", "P68", "P9999"])
    assert values == {
        "P1561": "1",
        "8310": "http://127.0.0.1:8123/x?e=1&m=$mac",
        "P68": server.phone.firmware,
        "P9999": "",
    }
    (request,) = server.phone.requests
    assert (request.method, request.path) == ("GET", "/cgi-bin/config_get")
    assert "pvalues=1561,8310,68,9999&" in request.query_string
    assert "sid=" in request.query_string
    assert "sid=" in request.headers["Cookie"]


@session
async def test_web_login_value_the_role_may_not_change(
    server: SimulatorServer, make_client: Callable[..., PhoneClient]
) -> None:
    """A user's session: config_update says success, the read-back shows nothing changed."""
    server.phone.config["1561"] = "0"
    client = make_client(server, username="user", password=server.phone.user_password)
    with pytest.raises(ConfigNotTakenError, match="P1561"):
        await client.set_config({"P1561": "1"})
    assert server.phone.config["1561"] == "0"


@session
async def test_web_login_expired_session_logs_in_once_and_retries_once(
    server: SimulatorServer, client: PhoneClient
) -> None:
    await client.get_config("P68")
    for write in (False, True):
        server.phone.auth.reset()  # every session gone: config_get and config_update say so in JSON
        server.phone.requests.clear()
        if write:
            await client.set_config({"P1561": "1"})
        else:
            await client.get_config("P68")
        assert login_attempts(server.phone) == 1
        paths = [request.path for request in server.phone.requests]
        wanted = "/cgi-bin/config_update" if write else "/cgi-bin/config_get"
        assert paths.count(wanted) == 2  # refused, then once more after the one login


@session
async def test_web_login_values_refused_or_unreadable(
    server: SimulatorServer, client: PhoneClient
) -> None:
    await client.get_config("P68")
    server.phone.faults = Faults(malformed=True, count=1)
    with pytest.raises(PhoneResponseError):
        await client.get_config("P68")
    server.phone.faults = Faults(status=500, count=1)
    with pytest.raises(PhoneResponseError, match="HTTP 500"):
        await client.set_config({"P1561": "1"})
    assert "1561" not in server.phone.config
    assert login_attempts(server.phone) == 1  # neither is a reason to log in again


def test_config_get_answers_read_or_refused() -> None:
    assert parse_configs(b'{"configs": [{"pvalue": 68, "value": "1.0"}, "x"]}') == {"68": "1.0"}
    with pytest.raises(SessionExpiredError):
        parse_configs(b'{"response": "error", "body": {"status": "session-expired"}}')
    with pytest.raises(PhoneResponseError, match="no values: 'missing"):
        parse_configs(b'{"response": "error", "body": "missing pvalues"}')
    with pytest.raises(PhoneResponseError):
        parse_configs(b'["configs"]')
    with pytest.raises(PhoneCommandError, match="refused the values: wrong"):
        check_values_written(Envelope(success=False, body={"status": "wrong"}))
    with pytest.raises(PhoneCommandError, match="refused the values: denied"):
        check_values_written(Envelope(success=False, body="denied"))


async def test_web_login_older_firmware_reads_values_only(
    make_client: Callable[..., PhoneClient],
) -> None:
    phone = make_phone(Dialect.GRANDSTREAM_SESSION, plain_login=True)
    async with served(phone) as server:
        client = make_client(server)
        assert await client.get_config(["P68", "9999"]) == {"P68": phone.firmware, "9999": ""}
        with pytest.raises(PhoneUnsupportedError, match="no config_update"):
            await client.set_config({"P1561": "1"})
        assert "/cgi-bin/config_get" not in [request.path for request in phone.requests]
