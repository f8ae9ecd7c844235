"""The control API drives the phone, and each dialect shows what it did."""

import asyncio
from collections.abc import Awaitable, Callable
import json
from typing import Any

import aiohttp
import pytest

from simulator import (
    Dialect,
    Faults,
    LineState,
    PushEvent,
    SimulatedPhone,
    SimulatorServer,
    Timings,
)

from .helpers import forms_login, get_json, post_json, post_xml

# An awkward number: a client must send it exactly as it is.
NUMBER = "+49 (30) 1234#*"

type Session = aiohttp.ClientSession


async def webapi_line(http: Session, server: SimulatorServer) -> tuple[str, str, str]:
    sid = (await forms_login(http, server))["body"]["sid"]
    line = (await get_json(http, f"{server.url}/cgi-bin/api-get_line_status", sid=sid, line="2"))[
        "body"
    ][0]
    return line["state"], line["number"], line["name"]


async def session_line(http: Session, server: SimulatorServer) -> tuple[str, str, str]:
    sid = (await forms_login(http, server))["body"]["sid"]
    answer = await post_json(
        http, server, "/cgi-bin/api-get_line_status", {"sid": sid}, sid=sid, line="2"
    )
    line = answer["body"][0]
    return line["state"], line["number"], line["name"]


async def gmi_line(http: Session, server: SimulatorServer) -> tuple[str, str, str]:
    await get_json(http, f"{server.url}/manager", action="login", username="admin", secret="123")
    async with http.get(
        f"{server.url}/manager", params={"action": "lineStatus", "line": "1"}
    ) as response:
        # GMI's line status is a bare code; the caller shows in no GMI answer.
        return await response.text(), "", ""


async def cti_line(http: Session, server: SimulatorServer) -> tuple[str, str, str]:
    line = (await get_json(http, f"{server.url}/cgi-bin/api-get_line_status", passcode="admin"))[
        "body"
    ][1]
    return line["state"], line["remotenumber"], line["remotename"]


async def fanvil_line(http: Session, server: SimulatorServer) -> tuple[str, str, str]:
    # Fanvil has no line status query: its calls are only seen through Action URL pushes.
    return server.phone.pushes[-1], "", ""


LINE_READERS: dict[
    Dialect,
    tuple[
        Callable[[Session, SimulatorServer], Awaitable[tuple[str, str, str]]], tuple[str, str, str]
    ],
] = {
    Dialect.GRANDSTREAM_WEBAPI: (webapi_line, ("2", "5551234", "Reception")),
    Dialect.GRANDSTREAM_SESSION: (session_line, ("2", "5551234", "Reception")),
    Dialect.GRANDSTREAM_GMI: (gmi_line, ("2", "", "")),
    Dialect.GRANDSTREAM_CTI: (cti_line, ("ringing", "5551234", "Reception")),
    Dialect.FANVIL: (fanvil_line, ("http://127.0.0.1:9/in?5551234&Reception", "", "")),
}


async def session_call(http: Session, server: SimulatorServer) -> None:
    sid = (await forms_login(http, server))["body"]["sid"]
    await post_json(
        http,
        server,
        "/cgi-bin/api-make_call",
        {"sid": sid},
        sid=sid,
        phonenumber=NUMBER,
        account="0",
    )


async def webapi_call(http: Session, server: SimulatorServer) -> None:
    sid = (await forms_login(http, server))["body"]["sid"]
    await get_json(
        http, f"{server.url}/cgi-bin/api-make_call", sid=sid, phonenumber=NUMBER, account="0"
    )


async def gmi_call(http: Session, server: SimulatorServer) -> None:
    await get_json(http, f"{server.url}/manager", action="login", username="admin", secret="123")
    await get_json(
        http,
        f"{server.url}/manager",
        action="originatecall",
        destnum=NUMBER,
        account="0",
        format="json",
    )


async def cti_call(http: Session, server: SimulatorServer) -> None:
    await get_json(
        http, f"{server.url}/cgi-bin/api-make_call", passcode="admin", phonenumber=NUMBER
    )


async def fanvil_call(http: Session, server: SimulatorServer) -> None:
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<FanvilPhoneExecute><ExecuteItem URI="Dial:{NUMBER}"/></FanvilPhoneExecute>'
    )
    await post_xml(http, server, body)


CALLERS: dict[Dialect, Callable[[Session, SimulatorServer], Awaitable[None]]] = {
    Dialect.GRANDSTREAM_WEBAPI: webapi_call,
    Dialect.GRANDSTREAM_SESSION: session_call,
    Dialect.GRANDSTREAM_GMI: gmi_call,
    Dialect.GRANDSTREAM_CTI: cti_call,
    Dialect.FANVIL: fanvil_call,
}


@pytest.fixture(params=list(Dialect))
def phone(request: pytest.FixtureRequest) -> SimulatedPhone:
    return SimulatedPhone(request.param, timings=Timings.instant())


@pytest.fixture
def control(http: Session, server: SimulatorServer) -> Any:
    async def call(method: str, path: str, body: Any = None, status: int = 200) -> Any:
        async with http.request(method, f"{server.url}/_sim/{path}", json=body) as response:
            assert response.status == status
            assert response.content_type == "application/json"
            return await response.json()

    return call


async def test_a_rung_line_shows_in_the_dialects_line_status(
    control: Any, http: Session, server: SimulatorServer, phone: SimulatedPhone
) -> None:
    phone.set_action_url(PushEvent.INCOMING, "http://127.0.0.1:9/in?$remote&$display_remote")
    answer = await control("POST", "lines/2/ring", {"number": "5551234", "name": "Reception"})
    assert answer == {"line": 2}
    reader, expected = LINE_READERS[phone.dialect]
    assert await reader(http, server) == expected
    state = await control("GET", "state")
    assert state["lines"][1] == {
        "index": 2, "state": "ringing", "account": 1, "remote_number": "5551234",
        "remote_name": "Reception", "incoming": True,
    }  # fmt: skip


async def test_a_call_through_the_dialect_is_recorded_exactly(
    control: Any, http: Session, server: SimulatorServer, phone: SimulatedPhone
) -> None:
    await CALLERS[phone.dialect](http, server)
    assert phone.calls == [NUMBER]
    assert await control("GET", "calls") == [NUMBER]
    assert (await control("GET", "state"))["lines"][0]["remote_number"] == NUMBER
    await control("DELETE", "calls")
    assert phone.calls == []


async def test_requests_are_recorded_as_sent(
    control: Any, http: Session, server: SimulatorServer, phone: SimulatedPhone
) -> None:
    async with http.post(
        f"{server.url}/anything?b=%2B1&a=x y".replace(" ", "%20"), data=b"raw \xff body"
    ):
        pass
    recorded = phone.requests[-1]
    assert (recorded.method, recorded.path, recorded.query_string, recorded.body) == (
        "POST", "/anything", "b=%2B1&a=x%20y", b"raw \xff body",
    )  # fmt: skip
    listed = await control("GET", "requests")
    assert listed[-1]["query_string"] == "b=%2B1&a=x%20y"
    assert listed[-1]["body"] == "raw \ufffd body"
    assert len(listed) == len(phone.requests)  # control calls are not recorded
    await control("DELETE", "requests")
    assert phone.requests == []


async def test_line_actions(control: Any, phone: SimulatedPhone) -> None:
    await control("POST", "lines/1/ring", {"number": "1"})
    assert await control("POST", "lines/1/answer") == {"done": True}
    assert await control("POST", "lines/1/hold") == {"done": True}
    assert await control("POST", "lines/1/resume") == {"done": True}
    assert await control("POST", "lines/1/remote_hangup") == {"done": True}
    assert await control("POST", "lines/1/hangup") == {"done": False}
    await control("POST", "lines/1/ring", {"number": "2"})
    assert await control("POST", "lines/1/reject") == {"done": True}
    assert await control("POST", "dial", {"number": "3"}) == {"line": 1}
    assert await control("POST", "lines/1/remote_answer") == {"done": False}
    assert phone.line(1).state is LineState.CONNECTED


async def test_control_errors(control: Any) -> None:
    assert "error" in await control("POST", "lines/1/dance", status=400)
    assert "error" in await control("POST", "lines/x/answer", status=400)
    assert "error" in await control("POST", "lines/9/ring", {"number": "1"}, status=400)
    assert "error" in await control("PUT", "faults", {"explode": True}, status=400)
    assert "error" in await control("PUT", "action_urls", {"sneezed": "http://x"}, status=400)
    assert "error" in await control("PUT", "settings", {"colour": "red"}, status=400)
    assert "error" in await control("PUT", "faults", [1, 2], status=400)


async def test_control_rejects_a_body_that_is_not_json(
    http: Session, server: SimulatorServer
) -> None:
    async with http.post(f"{server.url}/_sim/dial", data=b"{nope") as response:
        assert response.status == 400


async def test_accounts_registration(control: Any, phone: SimulatedPhone) -> None:
    answer = await control("POST", "accounts/1", {"registered": False})
    assert answer["account"]["registered"] is False
    assert not phone.account(1).registered


async def test_action_urls(control: Any, phone: SimulatedPhone) -> None:
    template = "http://127.0.0.1:9/x?from=$remote"
    assert await control("PUT", "action_urls", {"incoming": template}) == {"incoming": template}
    assert phone.action_urls == {PushEvent.INCOMING: template}
    await control("POST", "lines/1/ring", {"number": "42"})
    assert await control("GET", "pushes") == ["http://127.0.0.1:9/x?from=42"]
    await control("PUT", "action_urls", {"incoming": ""})
    assert await control("GET", "action_urls") == {}


async def test_settings(control: Any, phone: SimulatedPhone) -> None:
    answer = await control(
        "PUT",
        "settings",
        {
            "session_timeout": 5,
            "lockout_threshold": 3,
            "password": "pw",
            "fanvil_auth": True,
            "timings": {"answer": None},
        },
    )
    assert answer["session_timeout"] == 5
    assert answer["timings"] == {"dial": 0.0, "answer": None, "failed": 0.0, "reboot": 0.0}
    assert "password" not in answer
    assert (phone.session_timeout, phone.lockout_threshold, phone.password, phone.fanvil_auth) == (
        5,
        3,
        "pw",
        True,
    )


async def test_faults_are_set_and_cleared(control: Any, phone: SimulatedPhone) -> None:
    answer = await control("PUT", "faults", {"status": 500, "count": 2})
    assert answer["status"] == 500
    assert phone.faults == Faults(status=500, count=2)
    assert (await control("GET", "faults"))["count"] == 2
    await control("DELETE", "faults")
    assert phone.faults == Faults()


async def test_lockout_and_reboot(
    control: Any, server: SimulatorServer, phone: SimulatedPhone
) -> None:
    await control("POST", "lockout")
    assert phone.auth.locked
    phone.timings.reboot = 5
    assert await control("POST", "reboot", {"duration": 1}) == {"rebooting": True}
    assert phone.rebooting
    # The duration asked for, not the default: the phone is due back within a second.
    assert phone._boot_timer is not None
    assert phone._boot_timer.when() - asyncio.get_running_loop().time() <= 1


async def test_state_is_json(control: Any, phone: SimulatedPhone) -> None:
    state = await control("GET", "state")
    assert json.loads(json.dumps(state)) == state
    assert (state["dialect"], state["mac"], state["rebooting"]) == (
        phone.dialect.value,
        phone.mac,
        False,
    )
    assert len(state["accounts"]) == len(phone.accounts)


async def test_contacts(control: Any, phone: SimulatedPhone) -> None:
    added = await control("POST", "contacts", {"first_name": "Anna", "mobile": "5551234"})
    assert (added["name"], added["id"], added["mobile"]) == ("Anna", 2, "5551234")
    assert phone.phonebook.contact(2) == phone.contacts[-1]
    names = [contact["name"] for contact in await control("GET", "contacts")]
    assert names == ["xxx", "grandstream", "Anna"]
    # A call from a known number shows the contact's name, as the phone's own screen does.
    await control("POST", "lines/1/ring", {"number": "5551234"})
    assert phone.line(1).remote_name == "Anna"
    assert "error" in await control("POST", "contacts", {"first_name": " "}, status=400)
    assert "error" in await control("POST", "contacts", {"nick": "x"}, status=400)
