"""The CTI dialect answers every function of the GRP260x Series CTI guide, successes and errors."""

from typing import Any

import aiohttp
import pytest

from simulator import Dialect, LineState, SimulatedPhone, SimulatorServer, Timings

from .helpers import get_json

FAILED = {"response": "error", "body": "failed"}


@pytest.fixture
def phone() -> SimulatedPhone:
    return SimulatedPhone(Dialect.GRANDSTREAM_CTI, timings=Timings.instant())


@pytest.fixture
def cti(http: aiohttp.ClientSession, server: SimulatorServer) -> Any:
    async def call(function: str, passcode: str = "admin", **params: str) -> Any:
        return await get_json(http, f"{server.url}/cgi-bin/{function}", passcode=passcode, **params)

    return call


IDLE_LINE = {"state": "idle", "acct": "", "remotename": "", "remotenumber": "", "active": 0}


async def test_line_status_as_documented(cti: Any) -> None:
    assert await cti("api-get_line_status") == {
        "response": "success",
        "body": [{"line": n, **IDLE_LINE} for n in (1, 2, 3)],
    }


@pytest.mark.parametrize("passcode", ["", "wrong"])
async def test_every_function_needs_the_passcode(cti: Any, passcode: str) -> None:
    for function in (
        "api-get_line_status",
        "api-get_phone_status",
        "api-get_accounts",
        "api-send_key",
    ):
        assert await cti(function, passcode=passcode) == FAILED


async def test_user_passcode_is_accepted(cti: Any) -> None:
    assert (await cti("api-get_phone_status", passcode="123"))["response"] == "success"


async def test_five_wrong_passcodes_lock_the_phone(cti: Any) -> None:
    for _ in range(5):
        await cti("api-get_phone_status", passcode="wrong")
    assert await cti("api-get_phone_status") == FAILED


async def test_a_call_through_its_named_states(cti: Any, phone: SimulatedPhone) -> None:
    phone.ring(1, "5551234", "Reception")
    ringing = (await cti("api-get_line_status"))["body"][0]
    assert ringing == {
        "line": 1, "state": "ringing", "acct": 0, "remotename": "Reception",  # acct from 0
        "remotenumber": "5551234", "active": 0,
    }  # fmt: skip
    assert await cti("api-phone_operation", cmd="acceptcall") == {
        "response": "success",
        "body": True,
    }
    connected = (await cti("api-get_line_status"))["body"][0]
    assert (connected["state"], connected["active"]) == ("connected", 1)
    assert (await cti("api-phone_operation", cmd="holdcall"))["body"] is True
    assert (await cti("api-get_line_status"))["body"][0]["state"] == "onhold"
    assert (await cti("api-phone_operation", cmd="endcall"))["body"] is True
    assert (await cti("api-get_line_status"))["body"][0] == {"line": 1, **IDLE_LINE}


@pytest.mark.parametrize(
    ("state", "name"),
    [(LineState.DIALING, "dialing"), (LineState.RINGBACK, "calling"), (LineState.FAILED, "failed")],
)
async def test_outgoing_state_names(
    cti: Any, phone: SimulatedPhone, state: LineState, name: str
) -> None:
    phone.line(2).state = state
    assert (await cti("api-get_line_status"))["body"][1]["state"] == name


async def test_phone_operations_reject_and_cancel(cti: Any, phone: SimulatedPhone) -> None:
    phone.ring(1, "1")
    assert (await cti("api-phone_operation", cmd="rejectcall"))["body"] is True
    phone.ring(1, "2")
    assert (await cti("api-phone_operation", cmd="cancel"))["body"] is True
    assert phone.line(1).state is LineState.IDLE


@pytest.mark.parametrize(
    "cmd", ["endcall", "holdcall", "acceptcall", "rejectcall", "cancel", "fly", ""]
)
async def test_phone_operation_negative_answer(cti: Any, cmd: str) -> None:
    assert await cti("api-phone_operation", cmd=cmd) == {"response": "error", "body": False}


async def test_phone_status(cti: Any, phone: SimulatedPhone) -> None:
    assert await cti("api-get_phone_status") == {
        "response": "success",
        "body": "available",
        "misc": "0",
    }
    phone.ring(1, "1")
    assert (await cti("api-get_phone_status"))["body"] == "ringing"


async def test_accounts(cti: Any) -> None:
    answer = await cti("api-get_accounts")
    assert answer["body"][0] == {
        "id": 1,
        "sip_server": "pbx.example.com",
        "sip_id": "1001",
        "name": "1001",
        "reg": 1,
    }
    assert answer["body"][2]["reg"] == 0


async def test_send_key_dials_digits(cti: Any, phone: SimulatedPhone) -> None:
    assert await cti("api-send_key", keys="1:0:0:STAR") == {
        "response": "success",
        "body": "complete",
    }
    assert phone.line(1).state is LineState.DIALING
    assert phone.calls == []
    await cti("api-send_key", keys="SEND")
    assert phone.calls == ["100*"]
    assert phone.line(1).state is LineState.CONNECTED


async def test_send_key_answers_and_hangs_up(cti: Any, phone: SimulatedPhone) -> None:
    phone.ring(1, "9")
    await cti("api-send_key", keys="OFFHOOK")
    assert phone.line(1).state is LineState.CONNECTED
    await cti("api-send_key", keys="ONHOOK")
    assert phone.line(1).state is LineState.IDLE
    assert phone.keys == ["OFFHOOK", "ONHOOK"]


@pytest.mark.parametrize("keys", ["", "BANANA", "1:BANANA"])
async def test_send_key_unknown(cti: Any, keys: str) -> None:
    assert await cti("api-send_key", keys=keys) == {"response": "error", "body": "unknown"}


async def test_make_call(cti: Any, phone: SimulatedPhone) -> None:
    assert await cti("api-make_call", phonenumber="3501") == {"response": "success", "body": True}
    assert phone.calls == ["3501"]
    assert await cti("api-make_call") == {"response": "error", "body": False}


async def test_sys_operation_reboot(cti: Any, phone: SimulatedPhone) -> None:
    phone.timings.reboot = 0.2
    assert await cti("api-sys_operation", request="REBOOT") == {
        "response": "success",
        "body": "savereboot",
    }
    assert phone.rebooting


async def test_sys_operation_reset(cti: Any, phone: SimulatedPhone) -> None:
    assert await cti("api-sys_operation", passcode="123", request="RESET") == {
        "response": "error",
        "body": "unknown",
    }
    phone.contacts.clear()
    assert await cti("api-sys_operation", request="RESET") == {
        "response": "success",
        "body": "reset",
    }
    assert len(phone.contacts) == 2
    assert await cti("api-sys_operation", request="FLY") == {"response": "error", "body": "unknown"}


async def test_unknown_function_is_not_found(
    http: aiohttp.ClientSession, server: SimulatorServer
) -> None:
    async with http.get(f"{server.url}/cgi-bin/api-values.get?passcode=admin") as response:
        assert response.status == 404


async def test_make_call_without_a_free_line(cti: Any, phone: SimulatedPhone) -> None:
    for line in (1, 2, 3):
        phone.ring(line, "1")
    assert await cti("api-make_call", phonenumber="9") == {"response": "error", "body": False}
