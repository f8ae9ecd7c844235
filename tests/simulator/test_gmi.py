"""The GMI dialect answers every action of the GXP2200 GMI Web Service Guide V1.0 as it shows."""

import asyncio
import json
from typing import Any

import aiohttp
import pytest

from simulator import Dialect, LineState, SimulatedPhone, SimulatorServer, Timings


@pytest.fixture
def phone() -> SimulatedPhone:
    return SimulatedPhone(Dialect.GRANDSTREAM_GMI, timings=Timings.instant())


@pytest.fixture
def raw(http: aiohttp.ClientSession, server: SimulatorServer) -> Any:
    async def call(**params: str) -> str:
        async with http.get(f"{server.url}/manager", params=params) as response:
            assert response.status == 200
            return await response.text()

    return call


@pytest.fixture
def manager(raw: Any) -> Any:
    async def call(**params: str) -> Any:
        return json.loads(await raw(format="json", **params))

    return call


@pytest.fixture
async def logged_in(manager: Any) -> None:
    assert (await manager(action="login", username="admin", secret="123"))["res"] == "success"


async def test_login_as_documented(raw: Any) -> None:
    answer = await raw(
        action="login", username="admin", secret="123", format="json", jsoncallback="?"
    )
    assert answer == '?({"res": "success", "msg": "authentication accepted"})'


@pytest.mark.parametrize(
    ("username", "secret"), [("admin", "wrong"), ("nobody", "admin"), ("admin", ""), ("", "")]
)
async def test_login_failures(manager: Any, username: str, secret: str) -> None:
    answer = await manager(action="login", username=username, secret=secret)
    assert answer == {"res": "error", "msg": "authentication failed"}


async def test_gmiadmin_shares_the_admin_password(manager: Any) -> None:
    assert (await manager(action="login", username="gmiadmin", secret="123"))["res"] == "success"


async def test_jsoncallback_wraps_the_answer(raw: Any) -> None:
    assert (
        await raw(action="vendor", jsoncallback="cb")
        == 'cb({"res": "success", "vendor": "Grandstream Networks, Inc."})'
    )


@pytest.mark.parametrize(
    ("action", "answer"),
    [
        ("vendor", {"res": "success", "vendor": "Grandstream Networks, Inc."}),
        ("product", {"res": "success", "product": "GXP2200"}),
        (
            "productinfo",
            {"res": "success", "product": "GXP2200", "vendor": "Grandstream Networks, Inc."},
        ),
    ],
)
async def test_public_actions_need_no_login(
    manager: Any, action: str, answer: dict[str, str]
) -> None:
    assert await manager(action=action) == answer


@pytest.mark.parametrize(
    "action", ["uptime", "pn", "hardware", "network", "accountStatus", "getgroup", "lineStatus"]
)
async def test_other_actions_need_a_login(manager: Any, action: str) -> None:
    assert await manager(action=action) == {"res": "error", "msg": "authentication required"}


@pytest.mark.parametrize("action", ["", "dance"])
async def test_command_not_found(manager: Any, action: str) -> None:
    assert await manager(action=action) == {"res": "error", "msg": "command not found"}


async def test_session_expires_when_idle(
    manager: Any, logged_in: None, phone: SimulatedPhone
) -> None:
    assert (await manager(action="pn"))["res"] == "success"
    phone.session_timeout = 0.01
    await asyncio.sleep(0.02)
    assert await manager(action="pn") == {"res": "error", "msg": "authentication required"}
    phone.session_timeout = 900  # a busy machine must not expire the new session as well
    await manager(action="login", username="admin", secret="123")
    assert (await manager(action="pn"))["res"] == "success"


async def test_five_wrong_logins_lock_the_account(manager: Any) -> None:
    for _ in range(5):
        await manager(action="login", username="admin", secret="wrong")
    answer = await manager(action="login", username="admin", secret="123")
    assert answer == {"res": "error", "msg": "authentication failed"}


@pytest.mark.usefixtures("logged_in")
async def test_uptime(manager: Any) -> None:
    answer = await manager(action="uptime")
    assert answer == {"res": "success", "day": "0", "hour": "0", "min": "0", "sec": answer["sec"]}
    assert answer["sec"].isdigit()


@pytest.mark.usefixtures("logged_in")
async def test_pn_and_hardware(manager: Any) -> None:
    assert await manager(action="pn") == {"res": "success", "pn": "9620001902A"}
    assert await manager(action="hardware") == {"res": "success", "hardware": "V2.2A"}


@pytest.mark.usefixtures("logged_in")
async def test_network(manager: Any) -> None:
    assert await manager(action="network") == {
        "res": "success",
        "mac": "00-0b-82-12-34-56",
        "ip": "127.0.0.1",
        "mask": "255.0.0.0",
        "gateway": "127.0.0.1",
        "dns": "127.0.0.1",
        "type": "dhcp",
    }


@pytest.mark.usefixtures("logged_in")
async def test_originatecall_as_documented(manager: Any, phone: SimulatedPhone) -> None:
    answer = await manager(
        action="originatecall",
        destnum="8108819",
        account="0",
        isvideo="0",
        isdialplan="0",
        headerstring="",
    )
    assert answer == {"res": "success", "msg": "call originated"}
    assert phone.calls == ["8108819"]
    assert phone.line(1).account == 1


@pytest.mark.usefixtures("logged_in")
async def test_originatecall_account_index(manager: Any, phone: SimulatedPhone) -> None:
    await manager(action="originatecall", destnum="*97", account="1")
    assert (phone.calls, phone.line(1).account) == (["*97"], 2)


@pytest.mark.usefixtures("logged_in")
async def test_originatecall_errors(manager: Any) -> None:
    assert await manager(action="originatecall", destnum="") == {
        "res": "error",
        "msg": "destnum can't be null",
    }
    assert await manager(action="originatecall", destnum="1", account="9") == {
        "res": "error",
        "msg": "timeout",
    }


@pytest.mark.usefixtures("logged_in")
@pytest.mark.parametrize("action", ["accountStatus", "status", "ACCOUNTSTATUS"])
async def test_account_status(manager: Any, phone: SimulatedPhone, action: str) -> None:
    phone.set_registered(2, registered=False)
    answer = await manager(action=action)
    assert answer["Response"] == "Success"
    assert answer["Data"][:3] == [
        {
            "Index": "0",
            "Server": "pbx.example.com",
            "Number": "1001",
            "Status": "1",
            "Activate": "1",
        },
        {
            "Index": "1",
            "Server": "pbx.example.com",
            "Number": "1002",
            "Status": "0",
            "Activate": "1",
        },
        {"Index": "2", "Server": "", "Number": "", "Status": "0", "Activate": "0"},
    ]
    assert len(answer["Data"]) == 6


@pytest.mark.usefixtures("logged_in")
async def test_account_status_follows_calls(manager: Any, phone: SimulatedPhone) -> None:
    phone.ring(1, "500")
    assert (await manager(action="accountStatus"))["Data"][0]["Status"] == "4"
    phone.answer(1)
    assert (await manager(action="accountStatus"))["Data"][0]["Status"] == "6"


@pytest.mark.usefixtures("logged_in")
async def test_getgroup(manager: Any, phone: SimulatedPhone) -> None:
    assert await manager(action="getgroup", groupID="") == {
        "res": "success",
        "msg": [
            {"groupID": "0", "groupName": "default"},
            {"groupID": "100", "groupName": "blacklist"},
        ],
    }
    assert (await manager(action="getgroup", groupID="100"))["msg"] == [
        {"groupID": "100", "groupName": "blacklist"}
    ]
    assert await manager(action="getgroup", groupID="7") == {"res": "error", "msg": "0"}
    assert await manager(action="getgroup", groupID="x") == {"res": "error", "msg": "wrong format"}


@pytest.mark.usefixtures("logged_in")
async def test_getcontact(manager: Any) -> None:
    everyone = await manager(action="getcontact", contactID="", groupID="", contactName="")
    assert everyone == {
        "res": "success",
        "msg": [
            {"contactID": "0", "contactName": "xxx", "groupID": "0", "work": "8819", "home": "",
             "mobile": "", "fax": "", "email": "", "photo": ""},
            {"contactID": "1", "contactName": "grandstream", "groupID": "0", "work": "3587",
             "home": "", "mobile": "", "fax": "", "email": "", "photo": ""},
        ],
    }  # fmt: skip
    assert [c["contactID"] for c in (await manager(action="getcontact", contactID="1"))["msg"]] == [
        "1"
    ]
    by_name = await manager(action="getcontact", contactID="0", contactName="grand")
    assert [c["contactID"] for c in by_name["msg"]] == ["1"]
    assert await manager(action="getcontact", groupID="100") == {"res": "error", "msg": "0"}
    assert await manager(action="getcontact", contactID="a") == {
        "res": "error",
        "msg": "wrong format",
    }


@pytest.mark.usefixtures("logged_in")
async def test_set_and_remove_groups(manager: Any, phone: SimulatedPhone) -> None:
    assert await manager(action="setgroup", groupInfo="1::grandstream") == {
        "res": "success",
        "msg": "1",
    }
    assert await manager(action="setgroup", groupInfo="::friends") == {"res": "success", "msg": "2"}
    assert await manager(action="setgroup", groupInfo="") == {
        "res": "error",
        "msg": "group information is empty",
    }
    assert await manager(action="setgroup", groupInfo="nonsense") == {
        "res": "error",
        "msg": "wrong format",
    }
    phone.contacts[0].group = 1
    assert await manager(action="cleargroup", groupID="1") == {"res": "success"}
    assert phone.contacts[0].group == 0
    assert await manager(action="cleargroup", groupID="") == {"res": "error", "msg": "ID is empty"}
    assert await manager(action="cleargroup", groupID="0") == {
        "res": "error",
        "msg": "clear group failed",
    }
    assert await manager(action="removegroup", groupID="1") == {"res": "success"}
    assert await manager(action="removegroup", groupID="1") == {
        "res": "error",
        "msg": "remove group failed",
    }
    assert await manager(action="removegroup", groupID="") == {"res": "success"}
    assert [g.id for g in phone.groups] == [0]


@pytest.mark.usefixtures("logged_in")
async def test_set_and_remove_contacts(manager: Any, phone: SimulatedPhone) -> None:
    edited = await manager(
        action="setcontact", contactInfo="1::grandstream::0::5211::2512::1234::0120::::"
    )
    assert edited == {"res": "success", "msg": "1"}
    contact = phone.phonebook.contact(1)
    assert (contact.work, contact.home, contact.mobile, contact.fax) == (
        "5211",
        "2512",
        "1234",
        "0120",
    )
    assert await manager(action="setcontact", contactInfo="::Dora::0::42") == {
        "res": "success",
        "msg": "2",
    }
    assert await manager(action="setcontact", contactInfo="") == {
        "res": "error",
        "msg": "contact information is empty",
    }
    assert await manager(action="setcontact", contactInfo="x::y") == {
        "res": "error",
        "msg": "wrong format",
    }
    assert await manager(action="removecontact", contactID="1") == {"res": "success"}
    assert await manager(action="removecontact", contactID="1") == {
        "res": "error",
        "msg": "remove contact failed",
    }
    assert await manager(action="removecontact", contactID="z") == {
        "res": "error",
        "msg": "wrong format",
    }
    assert await manager(action="removecontact", contactID="") == {"res": "success"}
    assert phone.contacts == []


@pytest.mark.usefixtures("logged_in")
async def test_line_status_is_a_bare_number(raw: Any, phone: SimulatedPhone) -> None:
    assert await raw(action="lineStatus", line="0") == "0"
    phone.ring(2, "123", "Workshop")
    assert (
        await raw(action="lineStatus", line="1", format="json", jsoncallback="callback")
        == "callback(2)"
    )


@pytest.mark.usefixtures("logged_in")
@pytest.mark.parametrize(
    ("state", "code"),
    [
        (LineState.DIALING, "1"),
        (LineState.RINGBACK, "12"),
        (LineState.CONNECTED, "4"),
        (LineState.HOLD, "5"),
        (LineState.FAILED, "8"),
    ],
)
async def test_line_status_codes(
    raw: Any, phone: SimulatedPhone, state: LineState, code: str
) -> None:
    phone.line(3).state = state
    assert await raw(action="lineStatus", line="2") == code


@pytest.mark.usefixtures("logged_in")
async def test_line_status_errors(manager: Any) -> None:
    assert await manager(action="lineStatus") == {"res": "error", "msg": "line can't be null"}
    assert await manager(action="lineStatus", line="3") == {"res": "error", "msg": "line invalid"}
    assert await manager(action="lineStatus", line="one") == {"res": "error", "msg": "line invalid"}


@pytest.mark.usefixtures("logged_in")
async def test_phone_status_mem_and_version(raw: Any, manager: Any) -> None:
    assert await raw(action="phoneStatus", funcname="phone") == "R"
    assert await raw(action="phoneStatus", funcname="gmi") == "S"
    assert await raw(action="phoneMem", funcname="gmi") == "3176 kB"
    assert await raw(action="phoneMem", funcname="gmi", jsoncallback="f") == 'f("3176 kB")'
    assert await raw(action="gmiVersion") == "9"
    assert await manager(action="phoneStatus") == {"res": "error", "msg": "funcname can't be null"}
    assert await manager(action="phoneMem", funcname="nothing") == {
        "res": "error",
        "msg": "can't get phone status",
    }


@pytest.mark.usefixtures("logged_in")
async def test_get_parameter_as_documented(manager: Any, phone: SimulatedPhone) -> None:
    phone.config["7044"] = "1"
    answer = await manager(action="get", **{"var-0000": "7044", "var-0001": "68"})
    assert answer == {"res": "success", "7044": "1", "68": phone.firmware}
    assert await manager(action="get") == {"res": "error", "msg": "new memory failed or no value"}


@pytest.mark.usefixtures("logged_in")
async def test_set_new_message(manager: Any, phone: SimulatedPhone) -> None:
    sent = {"number": "1001", "account": "0", "content": "hello", "flag": "1"}
    assert await manager(action="setnewmessage", **sent) == {"res": "success"}
    assert await manager(action="setnewmessage", **(sent | {"number": "8107314"})) == {
        "res": "success"
    }
    assert await manager(action="setnewmessage", **(sent | {"flag": "0"})) == {"res": "success"}
    failed = {"res": "error", "msg": "set new message failed"}
    assert await manager(action="setnewmessage", **(sent | {"content": ""})) == failed
    assert phone.screen == ["hello"]  # only a message sent to the phone's own number shows


async def test_get_parameter_needs_login(manager: Any) -> None:
    answer = await manager(action="get", **{"var-0000": "68"})
    assert answer == {"res": "error", "msg": "authentication required"}
