"""The Web API dialect answers every endpoint of the GXV33xx/WP820 WEB API User Guide (2021)."""

import asyncio
import hashlib
import re
from typing import Any
from xml.etree import ElementTree as ET

import aiohttp
import pytest

from simulator import Dialect, LineState, SimulatedPhone, SimulatorServer, Timings

from .helpers import forms_login, get_json, page_headers, webapi_login


@pytest.fixture
def phone() -> SimulatedPhone:
    return SimulatedPhone(Dialect.GRANDSTREAM_WEBAPI, timings=Timings.instant())


@pytest.fixture
async def sid(http: aiohttp.ClientSession, server: SimulatorServer) -> str:
    """Open a forms session: the guide opens most endpoints to Forms Authentication only."""
    answer = await forms_login(http, server)
    return answer["body"]["sid"]


@pytest.fixture
def api(http: aiohttp.ClientSession, server: SimulatorServer, sid: str) -> Any:
    async def call(endpoint: str, **params: str) -> Any:
        return await get_json(http, f"{server.url}/cgi-bin/{endpoint}", sid=sid, **params)

    return call


# Authentication ------------------------------------------------------------------------------
async def test_loginrealm_gives_a_random_number_as_text(
    http: aiohttp.ClientSession, server: SimulatorServer
) -> None:
    async with http.get(f"{server.url}/cgi-bin/loginrealm") as response:
        assert response.status == 200
        assert response.content_type == "text/plain"
        first = await response.text()
    async with http.get(f"{server.url}/cgi-bin/loginrealm") as response:
        second = await response.text()
    assert first.isdigit()
    assert first != second


async def test_token_login_answers_a_session(
    http: aiohttp.ClientSession, server: SimulatorServer
) -> None:
    answer = await webapi_login(http, server)
    assert answer["response"] == "success"
    assert answer["body"]["role"] == "admin"
    assert re.fullmatch(r"[0-9a-f]{32}", answer["body"]["sid"])


async def test_each_random_is_valid_once(
    http: aiohttp.ClientSession, server: SimulatorServer
) -> None:
    async with http.get(f"{server.url}/cgi-bin/loginrealm") as response:
        random = await response.text()
    secret = hashlib.md5(f"gmiadmin.{random}.admin".encode()).hexdigest()  # noqa: S324
    url = f"{server.url}/cgi-bin/login"
    first = await get_json(http, url, Username="gmiadmin", Secret=secret)
    again = await get_json(http, url, Username="gmiadmin", Secret=secret)
    assert first["response"] == "success"
    assert again == {"response": "error", "body": "unauthorized"}


async def test_wrong_password_is_refused(
    http: aiohttp.ClientSession, server: SimulatorServer
) -> None:
    answer = await webapi_login(http, server, password="wrong")
    assert answer == {"response": "error", "body": "unauthorized"}


async def test_user_login_has_the_user_role(
    http: aiohttp.ClientSession, server: SimulatorServer
) -> None:
    answer = await webapi_login(http, server, username="user", password="123")
    assert answer["body"]["role"] == "user"


async def test_five_wrong_logins_lock_the_account(
    http: aiohttp.ClientSession, server: SimulatorServer
) -> None:
    for _ in range(5):
        assert (await webapi_login(http, server, password="wrong"))["body"] == "unauthorized"
    assert await webapi_login(http, server) == {"response": "error", "body": "locked"}


async def test_lockout_threshold_is_settable(
    http: aiohttp.ClientSession, server: SimulatorServer, phone: SimulatedPhone
) -> None:
    phone.lockout_threshold = None
    for _ in range(7):
        await webapi_login(http, server, password="wrong")
    assert (await webapi_login(http, server))["response"] == "success"


async def test_lockout_ends_after_its_duration(
    http: aiohttp.ClientSession, server: SimulatorServer, phone: SimulatedPhone
) -> None:
    phone.lockout_duration = 0.05
    phone.lock_out()
    assert (await webapi_login(http, server))["body"] == "locked"
    await asyncio.sleep(0.06)
    assert (await webapi_login(http, server))["response"] == "success"


async def test_one_session_per_user_evicts_the_other(
    http: aiohttp.ClientSession, server: SimulatorServer, phone: SimulatedPhone
) -> None:
    phone.single_session = True
    first = (await webapi_login(http, server))["body"]["sid"]
    user = (await forms_login(http, server, username="user", password="123"))["body"]["sid"]
    second = (await webapi_login(http, server))["body"]["sid"]
    url = f"{server.url}/cgi-bin/api-get_phone_status"
    assert (await get_json(http, url, sid=first))["body"] == "unauthorized"
    assert (await get_json(http, url, sid=second))["response"] == "success"
    assert (await get_json(http, url, sid=user))["response"] == "success"


async def test_sessions_live_side_by_side_by_default(
    http: aiohttp.ClientSession, server: SimulatorServer
) -> None:
    first = (await webapi_login(http, server))["body"]["sid"]
    await webapi_login(http, server)
    answer = await get_json(http, f"{server.url}/cgi-bin/api-get_phone_status", sid=first)
    assert answer["response"] == "success"


async def test_plain_forms_login_sets_session_cookies(
    server: SimulatorServer, phone: SimulatedPhone
) -> None:
    phone.plain_login = True  # older firmware: the password in plain, the session in cookies
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        async with http.post(
            f"{server.url}/cgi-bin/dologin",
            data={"username": "admin", "password": "admin"},
            headers=page_headers(server),
        ) as response:
            assert response.cookies["session-role"].value == "admin"
        answer = await get_json(http, f"{server.url}/cgi-bin/api-get_accounts")
    assert answer["response"] == "success"


async def test_endpoints_need_a_session(
    http: aiohttp.ClientSession, server: SimulatorServer
) -> None:
    answer = await get_json(http, f"{server.url}/cgi-bin/api-get_accounts")
    assert answer == {"response": "error", "body": "unauthorized"}


async def test_an_idle_session_expires(api: Any, phone: SimulatedPhone) -> None:
    assert (await api("api-get_accounts"))["response"] == "success"
    phone.session_timeout = 0.01
    await asyncio.sleep(0.02)
    assert await api("api-get_accounts") == {"response": "error", "body": "unauthorized"}


async def test_json_is_served_as_text_plain(
    http: aiohttp.ClientSession, server: SimulatorServer, sid: str
) -> None:
    async with http.get(f"{server.url}/cgi-bin/api-get_accounts", params={"sid": sid}) as response:
        assert response.content_type == "text/plain"


async def test_unknown_cgi_is_not_found(
    http: aiohttp.ClientSession, server: SimulatorServer
) -> None:
    async with http.get(f"{server.url}/cgi-bin/api-nothing") as response:
        assert response.status == 404


# Values --------------------------------------------------------------------------------------
async def test_values_get_as_documented(api: Any, phone: SimulatedPhone) -> None:
    answer = await api("api-values.get", request="2:68:vendor_name")
    assert answer == {
        "response": "success",
        "body": {"2": "", "68": phone.firmware, "vendor_name": "Grandstream"},
    }


async def test_values_get_without_login_is_limited(
    http: aiohttp.ClientSession, server: SimulatorServer
) -> None:
    answer = await get_json(
        http, f"{server.url}/cgi-bin/api-values.get", request="68:vendor_name:phone_model"
    )
    assert answer == {
        "response": "success",
        "body": {"vendor_name": "Grandstream", "phone_model": "GXV3380"},
    }


async def test_values_get_needs_a_request(api: Any) -> None:
    assert (await api("api-values.get"))["response"] == "error"


async def test_values_post_sets_p_values(api: Any, phone: SimulatedPhone) -> None:
    answer = await api(
        "api-values.post", P47="sip.example.net", P3="Front desk", P9999="x", other="y"
    )
    assert answer == {"response": "success", "body": {"status": "right"}}
    assert phone.account(1).sip_server == "sip.example.net"
    assert phone.account(1).name == "Front desk"
    assert phone.config == {"9999": "x"}
    read = await api("api-values.get", request="P47:9999:other")
    assert read["body"] == {"P47": "sip.example.net", "9999": "x", "other": ""}


async def test_values_post_admin_password_changes_login(
    api: Any, http: aiohttp.ClientSession, server: SimulatorServer
) -> None:
    await api("api-values.post", P2="secret")
    assert (await webapi_login(http, server, password="secret"))["response"] == "success"


async def test_change_password_as_documented(api: Any, phone: SimulatedPhone) -> None:
    answer = await api(
        "api-change_password", oldadmin="admin", P2="newadmin", olduser="123", P196="123456"
    )
    assert answer == {"response": "success", "body": {"status": "right"}}
    assert (phone.password, phone.user_password) == ("newadmin", "123456")


async def test_change_password_needs_the_old_one(api: Any, phone: SimulatedPhone) -> None:
    answer = await api("api-change_password", oldadmin="nope", P2="newadmin")
    assert answer["response"] == "error"
    assert phone.password == "admin"


async def test_user_cannot_change_the_admin_password(
    http: aiohttp.ClientSession, server: SimulatorServer, phone: SimulatedPhone
) -> None:
    sid = (await forms_login(http, server, username="user", password="123"))["body"]["sid"]
    url = f"{server.url}/cgi-bin/api-change_password"
    answer = await get_json(http, url, sid=sid, oldadmin="admin", P2="mine")
    assert answer["response"] == "error"
    own = await get_json(http, url, sid=sid, olduser="123", P196="456")
    assert own["response"] == "success"
    assert (phone.password, phone.user_password) == ("admin", "456")


# Phonebook -----------------------------------------------------------------------------------
async def test_get_contacts_as_documented(api: Any) -> None:
    answer = await api("api-get_contacts")
    assert answer == {
        "res": "success",
        "msg": [
            {"contactID": "0", "contactName": "xxx", "groupID": "0", "work": "8819",
             "home": "", "mobile": "", "fax": "", "email": ""},
            {"contactID": "1", "contactName": "grandstream", "groupID": "0", "work": "3587",
             "home": "", "mobile": "", "fax": "", "email": ""},
        ],
    }  # fmt: skip


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"contactid": "1"}, ["grandstream"]),
        ({"contactname": "grand"}, ["grandstream"]),
        ({"groupid": "0"}, ["xxx", "grandstream"]),
        ({"groupid": "2"}, []),
    ],
)
async def test_get_contacts_filters(api: Any, params: dict[str, str], names: list[str]) -> None:
    answer = await api("api-get_contacts", **params)
    assert [c["contactName"] for c in answer["msg"]] == names


async def test_save_edit_and_delete_contacts(api: Any, phone: SimulatedPhone) -> None:
    added = await api(
        "api-save_edit_contact", firstname="Garden", lastname="Gate", newphone1="123456"
    )
    assert added == {"response": "success", "body": ""}
    garden = phone.contacts[-1]
    assert (garden.id, garden.name, garden.work) == (2, "Garden Gate", "123456")
    assert (await api("api-save_edit_contact", id="2", newphone3="0170"))["response"] == "success"
    assert (garden.work, garden.mobile) == ("123456", "0170")
    assert (await api("api-save_edit_contact", id="77", firstname="X"))["response"] == "error"
    assert (await api("api-save_edit_contact"))["response"] == "error"
    assert await api("api-delete_contact", id="1") == {"response": "success", "body": ""}
    assert [c.id for c in phone.contacts] == [0, 2]
    assert (await api("api-delete_contact", id="1"))["response"] == "error"
    assert await api("api-delete_all_contact") == {"response": "success", "body": ""}
    assert phone.contacts == []


async def test_groups(api: Any, phone: SimulatedPhone) -> None:
    assert await api("api-get_groups") == {
        "res": "success",
        "msg": [
            {"groupID": "0", "groupName": "default"},
            {"groupID": "100", "groupName": "blacklist"},
        ],
    }
    assert await api("api-add_group", name="newGroup") == {"response": "success", "body": ""}
    assert (await api("api-get_groups", id="1"))["msg"] == [
        {"groupID": "1", "groupName": "newGroup"}
    ]
    assert (await api("api-add_group"))["response"] == "error"
    assert (await api("api-edit_delete_group", id="1", name="Family"))["response"] == "success"
    assert phone.phonebook.group(1).name == "Family"
    assert await api("api-edit_delete_group", id="1", name="") == {
        "response": "success",
        "body": "",
    }
    assert phone.phonebook.group(1) is None
    assert (await api("api-edit_delete_group", id="0", name=""))["response"] == "error"
    assert (await api("api-edit_delete_group", id="55", name="x"))["response"] == "error"


async def test_phonebook_download_is_xml(
    http: aiohttp.ClientSession, server: SimulatorServer, sid: str
) -> None:
    async with http.get(
        f"{server.url}/cgi-bin/phonebook_download", params={"sid": sid}
    ) as response:
        assert response.content_type == "text/xml"
        book = ET.fromstring(await response.text())  # noqa: S314 - our own answer
    assert book.tag == "AddressBook"
    assert [c.findtext("FirstName") for c in book.iter("Contact")] == ["xxx", "grandstream"]
    assert book.find("Contact/Phone/phonenumber").text == "8819"


# Status --------------------------------------------------------------------------------------
async def test_get_accounts_as_documented(api: Any, phone: SimulatedPhone) -> None:
    phone.set_registered(2, registered=False)
    answer = await api("api-get_accounts")
    assert answer["response"] == "success"
    assert answer["body"][:2] == [
        {"id": 1, "sip_server": "pbx.example.com", "sip_id": "1001", "name": "1001", "reg": 1},
        {"id": 2, "sip_server": "pbx.example.com", "sip_id": "1002", "name": "1002", "reg": 0},
    ]
    assert len(answer["body"]) == 4
    registered = await api("api-get_accounts", registered="true")
    assert [a["id"] for a in registered["body"]] == [1]


async def test_line_status_all_lines_idle(api: Any) -> None:
    answer = await api("api-get_line_status")
    assert answer["response"] == "success"
    assert answer["body"][0] == {
        "line": 1,
        "state": "0",
        "acct": "",
        "name": "",
        "number": "",
        "active": 0,
    }
    assert [line["line"] for line in answer["body"]] == [1, 2, 3, 4]
    assert (await api("api-get_line_status", line="0"))["body"] == answer["body"]


async def test_line_status_shows_a_ringing_line(api: Any, phone: SimulatedPhone) -> None:
    phone.ring(2, "5551234", "Reception")
    answer = await api("api-get_line_status", line="2")
    assert answer["body"] == [
        # acct counts from 0, as api-make_call does (account 1 is "0"), as real phones answer
        {
            "line": 2,
            "state": "2",
            "acct": "0",
            "name": "Reception",
            "number": "5551234",
            "active": 0,
        }
    ]


async def test_line_status_rejects_a_line_it_lacks(api: Any) -> None:
    assert (await api("api-get_line_status", line="9"))["response"] == "error"
    assert (await api("api-get_line_status", line="x"))["response"] == "error"


@pytest.mark.parametrize(
    ("state", "code"),
    [
        (LineState.DIALING, "3"),
        (LineState.RINGBACK, "3"),
        (LineState.CONNECTED, "4"),
        (LineState.HOLD, "5"),
        (LineState.FAILED, "8"),
    ],
)
async def test_line_state_codes(
    api: Any, phone: SimulatedPhone, state: LineState, code: str
) -> None:
    phone.line(1).state = state
    assert (await api("api-get_line_status", line="1"))["body"][0]["state"] == code


async def test_phone_status_without_login(
    http: aiohttp.ClientSession, server: SimulatorServer, phone: SimulatedPhone
) -> None:
    url = f"{server.url}/cgi-bin/api-get_phone_status"
    assert await get_json(http, url) == {"response": "success", "body": "available", "misc": "0"}
    phone.ring(1, "100")
    assert (await get_json(http, url))["body"] == "ringing"
    phone.answer(1)
    assert (await get_json(http, url))["body"] == "busy"


async def test_phone_status_with_a_stale_session_is_unauthorized(
    http: aiohttp.ClientSession, server: SimulatorServer
) -> None:
    answer = await get_json(http, f"{server.url}/cgi-bin/api-get_phone_status", sid="stale")
    assert answer == {"response": "error", "body": "unauthorized"}


async def test_get_time_as_documented(api: Any) -> None:
    answer = await api("api-get_time")
    assert set(answer) == {"date", "time", "uptime"}
    assert re.fullmatch(r"\w{3} \d\d/\d\d/\d{4}", answer["date"])
    assert re.fullmatch(r" \d\d:\d\d[AP]M", answer["time"])
    assert re.fullmatch(r" 0 days, 0 hours, 0 minutes, \d+seconds", answer["uptime"])


# Commands ------------------------------------------------------------------------------------
async def test_make_call_records_the_number_exactly(api: Any, phone: SimulatedPhone) -> None:
    answer = await api("api-make_call", phonenumber="+49 (30) 123#", account="0")
    assert answer == {"response": "success", "body": ""}
    assert phone.calls == ["+49 (30) 123#"]
    line = (await api("api-get_line_status", line="1"))["body"][0]
    assert (line["state"], line["acct"], line["number"], line["active"]) == (
        "4",
        "0",
        "+49 (30) 123#",
        1,
    )


async def test_make_call_account_counts_from_zero(api: Any, phone: SimulatedPhone) -> None:
    await api("api-make_call", phonenumber="200", account="1")
    assert phone.line(1).account == 2


async def test_make_call_errors(api: Any, phone: SimulatedPhone) -> None:
    assert (await api("api-make_call"))["response"] == "error"
    assert (await api("api-make_call", phonenumber="1", account="9"))["response"] == "error"
    assert (await api("api-make_call", phonenumber="1", account="x"))["response"] == "error"
    assert phone.lines[0].state is LineState.IDLE


async def test_make_call_from_an_unregistered_account_fails_quietly(
    api: Any, phone: SimulatedPhone
) -> None:
    phone.timings.failed = 5
    phone.set_registered(1, registered=False)
    assert (await api("api-make_call", phonenumber="123456", account="0"))["response"] == "success"
    assert (await api("api-get_line_status", line="1"))["body"][0]["state"] == "8"
    phone.shutdown()


async def test_phone_operations(api: Any, phone: SimulatedPhone) -> None:
    phone.ring(1, "300", "Garage")
    assert await api("api-phone_operation", cmd="acceptcall", line="1") == {
        "response": "success",
        "body": "true",
    }
    assert phone.line(1).state is LineState.CONNECTED
    assert (await api("api-phone_operation", cmd="holdcall", line="1"))["body"] == "true"
    assert phone.line(1).state is LineState.HOLD
    assert (await api("api-phone_operation", cmd="holdcall", line="1"))["body"] == "true"
    assert phone.line(1).state is LineState.CONNECTED
    assert (await api("api-phone_operation", cmd="endcall", line="0"))["body"] == "true"
    assert phone.line(1).state is LineState.IDLE
    assert (await api("api-phone_operation", cmd="endcall", line="1"))["body"] == "false"
    phone.ring(3, "301")
    assert (await api("api-phone_operation", cmd="rejectcall"))["body"] == "true"
    assert phone.line(3).state is LineState.IDLE


async def test_phone_operation_errors(api: Any) -> None:
    assert (await api("api-phone_operation", cmd="dance", line="1"))["response"] == "error"
    assert (await api("api-phone_operation", cmd="endcall", line="12"))["response"] == "error"


async def test_sys_operation_reboot(
    api: Any, phone: SimulatedPhone, server: SimulatorServer
) -> None:
    phone.timings.reboot = 0.2
    assert await api("api-sys_operation", request="REBOOT") == {
        "response": "success",
        "body": "reset",
    }
    assert phone.rebooting
    await server.settled()
    with pytest.raises(aiohttp.ClientError):
        await api("api-get_accounts")


async def test_sys_operation_reset_needs_admin_and_restores_defaults(
    http: aiohttp.ClientSession, server: SimulatorServer, api: Any, phone: SimulatedPhone
) -> None:
    user_sid = (await forms_login(http, server, username="user", password="123"))["body"]["sid"]
    url = f"{server.url}/cgi-bin/api-sys_operation"
    refused = await get_json(http, url, sid=user_sid, request="RESET")
    assert refused == {"response": "error", "body": "unauthorized"}
    await api("api-change_password", oldadmin="admin", P2="changed")
    await api("api-delete_all_contact")
    assert await api("api-sys_operation", request="RESET") == {
        "response": "success",
        "body": "reset",
    }
    assert phone.password == "admin"
    assert len(phone.contacts) == 2


async def test_sys_operation_prov_and_unknown(api: Any) -> None:
    assert await api("api-sys_operation", request="PROV") == {"response": "success", "body": "prov"}
    assert (await api("api-sys_operation", request="FLY"))["response"] == "error"


async def test_post_body_parameters_are_read(
    http: aiohttp.ClientSession, server: SimulatorServer, sid: str, phone: SimulatedPhone
) -> None:
    async with http.post(
        f"{server.url}/cgi-bin/api-make_call",
        data={"sid": sid, "phonenumber": "777", "account": "0"},
    ) as response:
        assert '"success"' in await response.text()
    assert phone.calls == ["777"]


async def test_user_cannot_set_password_values(
    http: aiohttp.ClientSession, server: SimulatorServer, phone: SimulatedPhone
) -> None:
    sid = (await forms_login(http, server, username="user", password="123"))["body"]["sid"]
    url = f"{server.url}/cgi-bin/api-values.post"
    answer = await get_json(http, url, sid=sid, P196="x")
    assert answer == {"response": "error", "body": {"status": "wrong"}}
    assert phone.user_password == "123"


async def test_values_post_user_password(api: Any, phone: SimulatedPhone) -> None:
    await api("api-values.post", P196="4321", P401="0")
    assert (phone.user_password, phone.account(2).active) == ("4321", False)


async def test_change_user_password_needs_the_old_one(api: Any, phone: SimulatedPhone) -> None:
    answer = await api("api-change_password", olduser="nope", P196="x")
    assert answer == {"response": "error", "body": {"status": "wrong"}}
    assert phone.user_password == "123"


async def test_contact_edits_with_bad_ids_and_groups(api: Any, phone: SimulatedPhone) -> None:
    assert await api("api-save_edit_contact", id="x", firstname="A") == {
        "response": "error",
        "body": "invalid id",
    }
    await api("api-save_edit_contact", id="0", group="100")
    assert phone.contacts[0].group == 100


async def test_phone_operation_with_nothing_to_act_on(api: Any) -> None:
    assert await api("api-phone_operation", cmd="acceptcall") == {
        "response": "success",
        "body": "false",
    }


# The Web API's authentication table -----------------------------------------------------------
@pytest.mark.parametrize("lenient", [False, True])
async def test_web_api_token_session_serves_what_the_guide_says(
    http: aiohttp.ClientSession, server: SimulatorServer, *, lenient: bool
) -> None:
    server.phone.lenient_auth = lenient
    sid = (await webapi_login(http, server, password="admin", username="gmiadmin"))["body"]["sid"]
    url = f"{server.url}/cgi-bin/"
    forms_only = ("api-get_line_status", "api-get_accounts", "api-get_time", "api-values.get")
    for name in forms_only:
        answer = await get_json(http, url + name, sid=sid, request="68")
        assert (answer.get("body") == "unauthorized") is not lenient, name
    for name in ("api-get_phone_status", "api-phone_operation"):
        assert (await get_json(http, url + name, sid=sid, cmd="endcall"))["response"] == "success"


@pytest.mark.parametrize("separator", [".", ":"])
async def test_web_api_token_separator_is_the_phones(
    http: aiohttp.ClientSession, server: SimulatorServer, separator: str
) -> None:
    server.phone.token_separator = separator
    async with http.get(f"{server.url}/cgi-bin/loginrealm") as response:
        random = await response.text()
    for joiner, expected in ((separator, "success"), (":" if separator == "." else ".", "error")):
        if expected == "error":
            async with http.get(f"{server.url}/cgi-bin/loginrealm") as response:
                random = await response.text()
        secret = hashlib.md5(joiner.join(("gmiadmin", random, "admin")).encode()).hexdigest()  # noqa: S324
        answer = await get_json(
            http, f"{server.url}/cgi-bin/login", username="gmiadmin", secret=secret
        )
        assert answer["response"] == expected
