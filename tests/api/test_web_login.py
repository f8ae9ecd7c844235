"""Forms Authentication: the web-session dialect, and the Web API reaching Forms-only endpoints."""

from collections.abc import AsyncIterator, Callable

import pytest

from custom_components.ip_phone.api import (
    PhoneAuthenticationError,
    PhoneClient,
    PhoneConnectionError,
    PhoneLockedError,
    PhoneResponseError,
    PhoneUnsupportedError,
    WebApiClient,
    weblogin,
)
from custom_components.ip_phone.api.grandstream import Envelope
from custom_components.ip_phone.api.parsing import JsonValue
from custom_components.ip_phone.api.transport import HttpResponse
from custom_components.ip_phone.api.websession import is_expired, parse_model_define
from simulator import Dialect, Faults, SimulatedPhone, Timings
from tests.helpers import PASSWORD, login_attempts

from .conftest import make_phone, served

type MakeClient = Callable[..., PhoneClient]


def paths(phone: SimulatedPhone) -> list[str]:
    return [request.path for request in phone.requests]


# The Web API against a phone that follows its guide, and one that does not ------------------------
@pytest.mark.parametrize("lenient", [False, True])
async def test_web_api_polls_one_request_on_strict_and_lenient_phones(
    make_client: MakeClient, *, lenient: bool
) -> None:
    phone = make_phone(Dialect.GRANDSTREAM_WEBAPI, lenient_auth=lenient)
    async with served(phone) as server:
        client = make_client(server)
        info = await client.device_info()
        assert info.mac == "00:0b:82:12:34:56"
        await client.status()
        forms = ["/cgi-bin/access", "/cgi-bin/dologin"]
        logins = [path for path in paths(phone) if path in {"/cgi-bin/login", *forms}]
        # The token login comes first and proves the password; lenient firmware needs no more.
        assert logins == (["/cgi-bin/login"] if lenient else ["/cgi-bin/login", *forms])
        phone.requests.clear()
        for _ in range(5):
            await client.status()
        assert len(phone.requests) == 5  # line status; the accounts are read every few minutes
        assert login_attempts(phone) == 0


async def test_web_api_wrong_password_never_reaches_the_forms_login(
    make_client: MakeClient,
) -> None:
    phone = make_phone(Dialect.GRANDSTREAM_WEBAPI)
    async with served(phone) as server:
        client = make_client(server, password="wrong")
        with pytest.raises(PhoneAuthenticationError):
            await client.status()
        with pytest.raises(PhoneAuthenticationError):
            await client.status()
        assert paths(phone).count("/cgi-bin/login") == 1
        assert "/cgi-bin/dologin" not in paths(phone)


async def test_web_api_forms_session_expiry_logs_in_again_once(make_client: MakeClient) -> None:
    phone = make_phone(Dialect.GRANDSTREAM_WEBAPI)
    async with served(phone) as server:
        client = make_client(server)
        await client.status()
        phone.auth.reset()  # every session gone, as after an idle timeout
        phone.requests.clear()
        await client.status()
        assert paths(phone).count("/cgi-bin/login") == 1
        assert paths(phone).count("/cgi-bin/dologin") == 1


async def test_web_api_concurrent_refusals_share_one_forms_login(make_client: MakeClient) -> None:
    phone = make_phone(Dialect.GRANDSTREAM_WEBAPI)
    async with served(phone) as server:
        client = make_client(server)
        await client.reboot()  # token-served: logged in with the token session only
        await server.settled()
        await client.status()  # two Forms-only reads, refused together
        assert paths(phone).count("/cgi-bin/dologin") == 1


async def test_web_api_token_separator_is_settable(make_client: MakeClient) -> None:
    phone = make_phone(Dialect.GRANDSTREAM_WEBAPI, token_separator=":")
    async with served(phone) as server:
        client = make_client(server)
        assert isinstance(client, WebApiClient)
        client.token_separator = ":"
        await client.status()
        assert login_attempts(phone) == 1


# The web-session dialect ----------------------------------------------------------------------
@pytest.fixture
def session_phone() -> SimulatedPhone:
    return make_phone(Dialect.GRANDSTREAM_SESSION)


@pytest.fixture
async def client(
    session_phone: SimulatedPhone, make_client: MakeClient
) -> AsyncIterator[PhoneClient]:
    async with served(session_phone) as server:
        yield make_client(server)


async def test_a_steady_poll_is_one_request_and_no_login(
    client: PhoneClient, session_phone: SimulatedPhone
) -> None:
    assert client.status_requests == 1
    await client.status()
    session_phone.requests.clear()
    await client.status()
    assert paths(session_phone) == ["/cgi-bin/api-get_line_status"]
    request = session_phone.requests[0]
    assert request.method == "POST"
    assert "sid=" in request.body.decode()
    assert "sid=" in request.headers["Cookie"]


async def test_device_info_costs_one_request_after_the_login(
    make_client: MakeClient, session_phone: SimulatedPhone
) -> None:
    async with served(session_phone) as server:
        info = await make_client(server).device_info()
        assert (info.model, info.firmware, info.mac) == ("WP826", "1.0.3.35", "00:0b:82:12:34:56")
        assert paths(session_phone) == [
            "/cgi-bin/access",
            "/cgi-bin/dologin",
            "/json/configs/model.define.js",
        ]
        assert PASSWORD.encode() not in b"".join(r.body for r in session_phone.requests)


async def test_a_wrong_password_says_how_many_tries_are_left(
    make_client: MakeClient, session_phone: SimulatedPhone
) -> None:
    async with served(session_phone) as server:
        client = make_client(server, password="wrong")
        with pytest.raises(PhoneAuthenticationError, match="4 tries left"):
            await client.status()
        with pytest.raises(PhoneAuthenticationError):
            await client.make_call("1")
        assert login_attempts(session_phone) == 1


async def test_a_locked_account_says_for_how_long(
    make_client: MakeClient, session_phone: SimulatedPhone
) -> None:
    session_phone.lock_out()
    async with served(session_phone) as server:
        client = make_client(server)
        with pytest.raises(PhoneLockedError, match="5 minutes") as caught:
            await client.status()
        assert caught.value.minutes == 5
        with pytest.raises(PhoneAuthenticationError):
            await client.status()
        assert login_attempts(session_phone) == 1


async def test_an_evicted_session_logs_in_again_once(
    client: PhoneClient, session_phone: SimulatedPhone
) -> None:
    await client.status()
    session_phone.auth.open_session("admin", "admin")  # someone logs in as admin: one session
    session_phone.requests.clear()
    await client.status()
    assert login_attempts(session_phone) == 1


async def test_calls_from_the_client(client: PhoneClient, session_phone: SimulatedPhone) -> None:
    session_phone.ring(2, "5551234", "Anna")
    await client.answer_call()
    status = await client.status()
    assert (status.lines[1].state.value, status.lines[1].account) == ("connected", 1)
    await client.hold_call()
    await client.end_call()
    session_phone.ring(1, "5551234")
    await client.reject_call()
    await client.make_call("201", account=2)
    assert session_phone.line(1).account == 2


async def test_reboot_that_drops_the_connection_is_accepted(
    make_client: MakeClient, session_phone: SimulatedPhone
) -> None:
    session_phone.timings.reboot = 0.2
    async with served(session_phone) as server:
        client = make_client(server)
        await client.reboot()
        assert session_phone.rebooting
        await server.settled()
        with pytest.raises(PhoneConnectionError):
            await client.reboot()  # the phone is away: that is not an accepted reboot


async def test_older_firmware_logs_in_plain_and_reads_values(make_client: MakeClient) -> None:
    phone = make_phone(Dialect.GRANDSTREAM_SESSION, plain_login=True)
    async with served(phone) as server:
        client = make_client(server)
        info = await client.device_info()
        assert (info.model, info.firmware, info.mac) == ("WP826", "1.0.3.35", "00:0b:82:12:34:56")
        await client.status()
        assert "/cgi-bin/api.values.get" in paths(phone)


async def test_a_phone_without_model_definition_still_logs_in(make_client: MakeClient) -> None:
    phone = make_phone(Dialect.GRANDSTREAM_SESSION, plain_login=True)
    async with served(phone) as server:
        phone.faults = Faults(status=404, count=1)
        info = await make_client(server).device_info()
        assert (info.model, info.firmware) == ("WP826", "1.0.3.35")  # from api.values.get


def test_model_definition_is_read_tolerantly() -> None:
    assert parse_model_define("var x = {model: 'GXP2170'}") == "GXP2170"
    assert parse_model_define('{"Model" : "GRP2614"}') == "GRP2614"
    assert parse_model_define("nothing here") is None


# What real phones answer, on every Grandstream CGI dialect -------------------------------------
@pytest.mark.parametrize(
    "dialect",
    [Dialect.GRANDSTREAM_WEBAPI, Dialect.GRANDSTREAM_CTI, Dialect.GRANDSTREAM_SESSION],
)
async def test_make_call_always_names_the_account(
    make_client: MakeClient, dialect: Dialect
) -> None:
    phone = make_phone(dialect, timings=Timings.instant())
    async with served(phone) as server:
        await make_client(server).make_call("201")
        (call,) = [r for r in phone.requests if r.path == "/cgi-bin/api-make_call"]
        assert "account=0" in f"{call.query_string}&{call.body.decode()}"


async def test_web_api_reboot_dropped_mid_answer_is_accepted(make_client: MakeClient) -> None:
    phone = make_phone(Dialect.GRANDSTREAM_WEBAPI)
    async with served(phone) as server:
        client = make_client(server)
        await client.status()
        phone.timings.reboot = 0.2
        phone.faults = Faults(drop_after=True, count=1)  # answered by going down, not in words
        await client.reboot()
        assert phone.rebooting


# Answers no simulator gives: parsed as they come ----------------------------------------------
def answer(body: bytes, status: int = 200, **cookies: str) -> HttpResponse:
    return HttpResponse(status=status, body=body, cookies=cookies)


@pytest.mark.parametrize(
    ("response", "error"),
    [
        (answer(b"", 500), PhoneResponseError),
        (answer(b'{"response":"success","body":{"x":1}}'), PhoneResponseError),
        (answer(b'{"response":"error","body":"busy"}'), PhoneResponseError),
        (answer(b"", 404), PhoneUnsupportedError),
    ],
)
def test_access_answers_that_are_not_a_nonce(response: HttpResponse, error: type) -> None:
    with pytest.raises(error):
        weblogin.parse_nonce(response)


@pytest.mark.parametrize(
    ("response", "error", "text"),
    [
        (answer(b"", 403), PhoneAuthenticationError, "HTTP 403"),
        (answer(b"", 502), PhoneResponseError, "HTTP 502"),
        (answer(b'{"response":"success","body":{}}'), PhoneResponseError, "without a session"),
        (answer(b'{"response":"error","body":"wrong"}'), PhoneAuthenticationError, "password$"),
        (answer(b'{"response":"error","body":"locked"}'), PhoneLockedError, "web account after"),
    ],
)
def test_login_answers_refused_or_unreadable(
    response: HttpResponse, error: type, text: str
) -> None:
    with pytest.raises(error, match=text):
        weblogin.parse_login(response)


def test_a_session_carried_by_cookies_alone() -> None:
    session = weblogin.parse_login(
        answer(b'{"response":"success","body":"ok"}', **{"session-identity": "abc"})
    )
    assert session.sid is None
    assert session.request_cookies() == {"session-identity": "abc"}
    assert session.params({"a": "1"}) == {"a": "1"}


@pytest.mark.parametrize(
    ("body", "expired"),
    [
        ({"status": "session-expired"}, True),
        ({"status": "fail"}, False),
        ("unauthorized", True),
        ("session expired", True),
        ("invalid line", False),
    ],
)
def test_what_says_the_session_expired(body: JsonValue, *, expired: bool) -> None:
    assert is_expired(Envelope(success=False, body=body)) is expired
