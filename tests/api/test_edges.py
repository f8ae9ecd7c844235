"""Less travelled paths: phones that change under the client, old firmware, odd answers."""

from collections.abc import Callable, Mapping

import aiohttp
from aiohttp import web
import pytest

from custom_components.ip_phone.api import (
    LineState,
    PhoneAuthenticationError,
    PhoneClient,
    PhoneCommandError,
    PhoneResponseError,
    PhoneState,
    PhoneUnsupportedError,
    client as client_module,
    create_client,
    detect,
)
from custom_components.ip_phone.api.models import Line, phone_state_from_lines
from simulator import Dialect, Faults, SimulatorServer, Timings
from tests.helpers import PASSWORD, login_attempts

from .conftest import make_phone, served
from .fakes import fake_phone, gmi_phone

GMI_ACCOUNTS = {"Response": "Success", "Data": [{"Index": "0", "Number": "1", "Status": "4"}]}


async def test_password_changed_on_the_phone(
    server: SimulatorServer, make_client: Callable[..., PhoneClient]
) -> None:
    client = make_client(server)
    await client.status()
    phone = server.phone
    phone.password = "changed"
    phone.reboot()  # sessions gone with it
    await server.settled()
    phone.requests.clear()
    with pytest.raises(PhoneAuthenticationError):
        await client.status()
    # One login refused; CTI has no login: its poll's first read was the one attempt.
    assert login_attempts(phone) == 1
    with pytest.raises(PhoneAuthenticationError):
        await client.status()
    with pytest.raises(PhoneAuthenticationError):
        await client.make_call("5550100")
    assert login_attempts(phone) == 1


async def test_http_401_in_steady_state(
    server: SimulatorServer, make_client: Callable[..., PhoneClient]
) -> None:
    """Session dialects log in again; CTI and Fanvil (the password on every request) give up."""
    client = make_client(server)
    await client.status()
    server.phone.faults = Faults(status=401, count=1)
    if server.phone.dialect in {Dialect.FANVIL, Dialect.GRANDSTREAM_CTI}:
        with pytest.raises(PhoneAuthenticationError):
            await client.status()
        server.phone.requests.clear()
        with pytest.raises(PhoneAuthenticationError):
            await client.status()
        assert server.phone.requests == []
    else:
        assert (await client.status()).accounts


async def test_a_session_that_never_holds(http: aiohttp.ClientSession) -> None:
    answers: dict[str, object] = {
        "login": {"res": "success", "msg": "authentication accepted"},
        "accountStatus": {"res": "error", "msg": "authentication required"},
    }
    async with fake_phone(gmi_phone(answers), "/manager") as server:
        client = create_client("grandstream_gmi", session=http, host="127.0.0.1", port=server.port)
        with pytest.raises(PhoneAuthenticationError, match="again"):
            await client.status()


async def test_gmi_login_refused_in_other_words(http: aiohttp.ClientSession) -> None:
    """Any error answer to a GMI login is a refusal: the password is not sent a second time."""
    logins: list[str] = []

    def login(query: Mapping[str, str]) -> object:
        logins.append(query.get("secret", ""))
        return {"res": "error", "msg": "Authentication Failure"}

    async with fake_phone(gmi_phone({"login": login}), "/manager") as server:
        client = create_client(
            "grandstream_gmi", session=http, host="127.0.0.1", port=server.port, password="x"
        )
        for _ in range(3):
            with pytest.raises(PhoneAuthenticationError):
                await client.status()
    assert logins == ["x"]


async def test_gmi_before_version_8_has_no_line_status(http: aiohttp.ClientSession) -> None:
    answers: dict[str, object] = {
        "login": {"res": "success", "msg": "authentication accepted"},
        "accountStatus": GMI_ACCOUNTS,
        "originatecall": {"res": "success", "msg": "call originated"},
    }
    async with fake_phone(gmi_phone(answers), "/manager") as server:
        client = create_client("grandstream_gmi", session=http, host="127.0.0.1", port=server.port)
        status = await client.status()
        assert status.state is PhoneState.RINGING
        assert status.lines == ()
        await client.status()
        await client.make_call("123")  # nothing to confirm with: the phone's word counts


async def test_gmi_line_status_errors(http: aiohttp.ClientSession) -> None:
    def line(query: object) -> object:
        number = dict(query)["line"]  # type: ignore[call-overload]
        return {"0": 4, "1": {"res": "error", "msg": "can't get line status"}}.get(
            number, {"res": "error", "msg": "line invalid"}
        )

    answers: dict[str, object] = {
        "login": {"res": "success", "msg": "authentication accepted"},
        "accountStatus": GMI_ACCOUNTS,
        "lineStatus": line,
        "originatecall": {"res": "error", "msg": "timeout"},
    }
    async with fake_phone(gmi_phone(answers), "/manager") as server:
        client = create_client("grandstream_gmi", session=http, host="127.0.0.1", port=server.port)
        status = await client.status()
        assert [(x.index, x.state) for x in status.lines] == [
            (1, LineState.CONNECTED),
            (2, LineState.UNKNOWN),
        ]
        assert status.state is PhoneState.BUSY
        with pytest.raises(PhoneCommandError, match="timeout"):
            await client.make_call("123")


async def test_gmi_phone_with_two_lines(make_client: Callable[..., PhoneClient]) -> None:
    async with served(make_phone(Dialect.GRANDSTREAM_GMI, lines=2)) as server:
        status = await make_client(server).status()
    assert [line.index for line in status.lines] == [1, 2]


@pytest.mark.parametrize(
    "dialect", [Dialect.GRANDSTREAM_WEBAPI, Dialect.GRANDSTREAM_CTI], ids=lambda d: d.value
)
async def test_success_that_changes_nothing(
    server: SimulatorServer,
    client: PhoneClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The phone says the call was placed, but no line ever shows it."""
    monkeypatch.setattr(client_module, "CONFIRM_DELAYS", (0.0, 0.01))
    server.phone.timings = Timings(dial=0, answer=None, failed=0)  # fails and clears at once
    await client.status()  # logged in (with the forms session where the phone wants one)
    server.phone.requests.clear()
    with pytest.raises(PhoneCommandError, match="did not change"):
        await client.make_call("123", account=3)
    assert len([r for r in server.phone.requests if "line_status" in r.path]) == 2


async def test_fanvil_out_of_lines(make_client: Callable[..., PhoneClient]) -> None:
    async with served(make_phone(Dialect.FANVIL)) as server:
        client = make_client(server)
        await client.make_call("100")
        await client.make_call("200")
        with pytest.raises(PhoneCommandError, match="RetCode"):
            await client.make_call("300")


async def test_fanvil_refused_get(make_client: Callable[..., PhoneClient]) -> None:
    async def refuse(request: web.Request) -> web.Response:
        return web.Response(text="<FanvilConfiguration><RetCode>2</RetCode></FanvilConfiguration>")

    async with fake_phone(refuse, "/xmlService") as server:
        client = create_client("fanvil", session=None, host="127.0.0.1", port=server.port)
        async with client:
            with pytest.raises(PhoneResponseError, match="RetCode 2"):
                await client.device_info()


async def test_wrong_dialect_for_the_phone(make_client: Callable[..., PhoneClient]) -> None:
    async with served(make_phone(Dialect.FANVIL)) as server:
        client = create_client(
            "grandstream_webapi",
            session=None,
            host=server.host,
            port=server.port,
            password=PASSWORD,
        )
        async with client:
            with pytest.raises(PhoneUnsupportedError):
                await client.status()


async def test_oversized_answers(http: aiohttp.ClientSession) -> None:
    async def huge(request: web.Request) -> web.Response:
        return web.Response(body=b"1" * (2 << 20))

    async with fake_phone(huge, "/{tail:.*}") as server:
        found = await detect(http, "127.0.0.1", port=server.port)
        assert found.assumed
        client = create_client("grandstream_cti", session=http, host="127.0.0.1", port=server.port)
        with pytest.raises(PhoneResponseError, match="more than"):
            await client.status()


def test_phone_state_from_lines() -> None:
    assert phone_state_from_lines(()) is PhoneState.UNKNOWN
    odd = (Line(index=1, state=LineState.IDLE), Line(index=2, state=LineState.UNKNOWN))
    assert phone_state_from_lines(odd) is PhoneState.UNKNOWN
    assert phone_state_from_lines(odd[:1]) is PhoneState.AVAILABLE


def test_ipv6_and_host_property() -> None:
    client = create_client("fanvil", session=None, host="[::1]", port=8080)
    assert client.host == "[::1]"
    assert "[::1]:8080" in repr(client)


@pytest.mark.parametrize(
    ("keys", "error"), [(["1"] * 65, ValueError), ([1], TypeError), ("", ValueError)]
)
async def test_more_bad_keys(keys: object, error: type[Exception]) -> None:
    client = create_client("grandstream_cti", session=None, host="127.0.0.1")
    with pytest.raises(error):
        await client.send_keys(keys)  # type: ignore[arg-type]


async def test_number_must_be_a_string() -> None:
    client = create_client("grandstream_cti", session=None, host="127.0.0.1")
    with pytest.raises(TypeError):
        await client.make_call(123)  # type: ignore[arg-type]
