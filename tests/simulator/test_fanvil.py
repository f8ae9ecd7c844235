"""The Fanvil dialect: configuration get/set/del, information, execute and optional Basic auth."""

import re
from xml.etree import ElementTree as ET

import aiohttp
import pytest

from simulator import Dialect, LineState, SimulatedPhone, SimulatorServer, Timings

from .helpers import post_xml

HEAD = '<?xml version="1.0" encoding="UTF-8" ?>\n'


@pytest.fixture
def phone() -> SimulatedPhone:
    return SimulatedPhone(Dialect.FANVIL, timings=Timings.instant())


def basic(username: str, password: str) -> dict[str, str]:
    return {"Authorization": aiohttp.encode_basic_auth(username, password)}


def configuration(cmd: str, *items: str) -> str:
    body = "".join(f"<Item>{item}</Item>\n" for item in items)
    return f'{HEAD}<FanvilConfiguration cmd="{cmd}">\n{body}</FanvilConfiguration>\n'


def execute(*uris: str) -> str:
    body = "".join(f'<ExecuteItem>URI="{uri}"</ExecuteItem>\n' for uri in uris)
    return f'{HEAD}<FanvilPhoneExecute beep="yes">\n{body}</FanvilPhoneExecute>\n'


def ret_code(answer: str) -> str:
    return ET.fromstring(answer).findtext("RetCode")  # noqa: S314 - our own answer


def info_items(answer: str) -> dict[str, str]:
    root = ET.fromstring(answer)  # noqa: S314 - our own answer
    pairs = (item.text.partition(" = ") for item in root.iterfind("info/Item"))
    return {key: value for key, _, value in pairs}


async def test_information_query_as_documented(
    http: aiohttp.ClientSession, server: SimulatorServer
) -> None:
    answer = await post_xml(
        http,
        server,
        configuration("get", " info.dev.Model ", " info.dev.Mac ", " info.sys.MemFree "),
    )
    root = ET.fromstring(answer)  # noqa: S314
    assert (root.tag, root.get("cmd"), ret_code(answer)) == ("FanvilConfiguration", "get", "0")
    assert info_items(answer) == {
        "info.dev.Model": "X6",
        "info.dev.Mac": "0c383e123456",
        "info.sys.MemFree": "1.6M",
    }


async def test_every_information_key(
    http: aiohttp.ClientSession, server: SimulatorServer, phone: SimulatedPhone
) -> None:
    phone.set_registered(2, registered=False)
    items = info_items(await post_xml(http, server, configuration("get", "info.")))
    assert {
        "info.dev.Model", "info.dev.Vendor", "info.dev.Mac", "info.dev.SN", "info.sys.MemFree",
        "info.sys.FlashFree", "info.sys.UpTime", "info.sys.FwVersion", "info.sys.HwVersion",
    } <= set(items)  # fmt: skip
    assert items["info.sys.FwVersion"] == phone.firmware
    assert re.fullmatch(r"\d+d \d\d:\d\d:\d\d", items["info.sys.UpTime"])
    assert (items["info.sip.line.1.registerCode"], items["info.sip.line.2.registerCode"]) == (
        "200",
        "0",
    )


async def test_get_a_node_and_unknown_keys(
    http: aiohttp.ClientSession, server: SimulatorServer
) -> None:
    answer = await post_xml(
        http, server, configuration("get", "sip.line.1.", "tr069.Enabled", "no.such.key")
    )
    items = info_items(answer)
    assert items["sip.line.1.RegisterUser"] == "1001"
    assert items["sip.line.1.RegisterAddr"] == "pbx.example.com"
    assert items["tr069.Enabled"] == "0"
    assert items["no.such.key"] == ""
    assert not any(key.startswith("sip.line.2.") for key in items)


async def test_get_the_whole_tree(http: aiohttp.ClientSession, server: SimulatorServer) -> None:
    items = info_items(await post_xml(http, server, configuration("get", ".")))
    assert "info.dev.Model" in items
    assert "sip.line.6.EnableReg" in items


async def test_set_a_sip_account_as_documented(
    http: aiohttp.ClientSession, server: SimulatorServer, phone: SimulatedPhone
) -> None:
    answer = await post_xml(
        http,
        server,
        configuration(
            "set", " sip.line.3.EnableReg = 1", " sip.line.3.RegisterAddr = 172.16.1.3",
            " sip.line.3.RegisterUser = 8218", " sip.line.3.RegisterPswd = 8218",
        ),
    )  # fmt: skip
    assert (
        answer
        == f'{HEAD}<FanvilConfiguration cmd="set">\n<RetCode>0</RetCode>\n</FanvilConfiguration>\n'
    )
    account = phone.account(3)
    assert (account.sip_server, account.sip_id, account.active) == ("172.16.1.3", "8218", True)
    items = info_items(
        await post_xml(http, server, configuration("get", "sip.line.3.RegisterPswd"))
    )
    assert items == {"sip.line.3.RegisterPswd": "8218"}


async def test_set_enable_reg_off_unregisters(
    http: aiohttp.ClientSession, server: SimulatorServer, phone: SimulatedPhone
) -> None:
    await post_xml(http, server, configuration("set", "sip.line.1.EnableReg = 0"))
    assert not phone.account(1).registered


@pytest.mark.parametrize("item", ["info.dev.Model = Y", "no equals sign", " = 3"])
async def test_set_errors_stop_the_request(
    http: aiohttp.ClientSession, server: SimulatorServer, phone: SimulatedPhone, item: str
) -> None:
    answer = await post_xml(http, server, configuration("set", item, "tr069.Enabled = 1"))
    assert ret_code(answer) == "2"
    assert "tr069.Enabled" not in phone.config


async def test_lists_set_and_delete(
    http: aiohttp.ClientSession, server: SimulatorServer, phone: SimulatedPhone
) -> None:
    await post_xml(
        http,
        server,
        configuration(
            "set", "mmifilter.1.StartIP = 172.16.7.1", "mmifilter.1.EndIP = 172.16.7.255",
            "mmifilter.2.StartIP = 172.16.6.1", "mmifilter.2.EndIP = 172.16.6.255",
        ),
    )  # fmt: skip
    answer = await post_xml(http, server, configuration("del", " mmifilter.1 "))
    assert (
        answer
        == f'{HEAD}<FanvilConfiguration cmd="del">\n<RetCode>0</RetCode>\n</FanvilConfiguration>\n'
    )
    assert sorted(phone.config) == ["mmifilter.2.EndIP", "mmifilter.2.StartIP"]
    await post_xml(http, server, configuration("del", "mmifilter."))
    assert phone.config == {}
    assert ret_code(await post_xml(http, server, configuration("del", "sip.line.1."))) == "2"


async def test_unknown_cmd(http: aiohttp.ClientSession, server: SimulatorServer) -> None:
    assert ret_code(await post_xml(http, server, configuration("fly", "x"))) == "1"


async def test_dial_records_the_number_exactly(
    http: aiohttp.ClientSession, server: SimulatorServer, phone: SimulatedPhone
) -> None:
    answer = await post_xml(http, server, execute("Dial:+49 30 1234#"))
    assert answer == f"{HEAD}<FanvilPhoneExecute>\n<RetCode>0</RetCode>\n</FanvilPhoneExecute>\n"
    assert phone.calls == ["+49 30 1234#"]
    assert phone.line(1).state is LineState.CONNECTED


async def test_execute_item_uri_attribute(
    http: aiohttp.ClientSession, server: SimulatorServer, phone: SimulatedPhone
) -> None:
    body = f'{HEAD}<FanvilPhoneExecute><ExecuteItem URI="Dial:200"/></FanvilPhoneExecute>'
    assert ret_code(await post_xml(http, server, body)) == "0"
    assert phone.calls == ["200"]


async def test_cmd_reboot_and_reset(
    http: aiohttp.ClientSession, server: SimulatorServer, phone: SimulatedPhone
) -> None:
    phone.timings.reboot = 0.2
    phone.config["x"] = "1"
    assert ret_code(await post_xml(http, server, execute("Cmd:reset"))) == "0"
    assert phone.rebooting
    assert phone.config == {}


@pytest.mark.parametrize("uri", ["Shell:ls", "Cmd:explode", "Dial:", "Nothing"])
async def test_execute_refusals(
    http: aiohttp.ClientSession, server: SimulatorServer, uri: str
) -> None:
    assert ret_code(await post_xml(http, server, execute(uri))) == "3"


async def test_execute_key_and_led(
    http: aiohttp.ClientSession, server: SimulatorServer, phone: SimulatedPhone
) -> None:
    phone.ring(1, "1")
    assert ret_code(await post_xml(http, server, execute("Key:OFFHOOK", "Led:on"))) == "0"
    assert phone.line(1).state is LineState.CONNECTED


@pytest.mark.parametrize(
    "body",
    [
        "not xml at all",
        "<FanvilConfiguration cmd='get'><Item>x</Item>",
        f"{HEAD}<Other/>",
        f"{HEAD}<FanvilPhoneExecute></FanvilPhoneExecute>",
    ],
)
async def test_malformed_requests(
    http: aiohttp.ClientSession, server: SimulatorServer, body: str
) -> None:
    assert ret_code(await post_xml(http, server, body)) == "1"


@pytest.mark.parametrize(
    "body",
    [
        (
            '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]>'
            '<FanvilConfiguration cmd="get"><Item>&a;</Item></FanvilConfiguration>'
        ),
        (
            '<?xml version="1.0"?><!DOCTYPE r SYSTEM "file:///etc/passwd">'
            '<FanvilConfiguration cmd="get"/>'
        ),
    ],
)
async def test_entities_are_refused(
    http: aiohttp.ClientSession, server: SimulatorServer, body: str
) -> None:
    answer = await post_xml(http, server, body)
    assert ret_code(answer) == "1"
    assert "aaaa" not in answer


async def test_the_guides_curly_quotes_are_tolerated(
    http: aiohttp.ClientSession, server: SimulatorServer, phone: SimulatedPhone
) -> None:
    body = (
        '<?xml version="1.0" encoding="UTF-8" ?>\n<FanvilConfiguration Beep=“yes”cmd=”set” >\n'
        "<Item> sip.line.1.RegisterAddr = 172.16.1.3</Item>\n</ FanvilConfiguration >"
    )
    assert ret_code(await post_xml(http, server, body)) == "0"
    assert phone.account(1).sip_server == "172.16.1.3"


async def test_only_post(http: aiohttp.ClientSession, server: SimulatorServer) -> None:
    async with http.get(f"{server.url}/xmlService") as response:
        assert response.status == 405


async def test_answers_are_text_xml(http: aiohttp.ClientSession, server: SimulatorServer) -> None:
    async with http.post(
        f"{server.url}/xmlService", data=configuration("get", "info.dev.Model")
    ) as response:
        assert response.content_type == "text/xml"


async def test_push_xml_auth(
    http: aiohttp.ClientSession, server: SimulatorServer, phone: SimulatedPhone
) -> None:
    phone.fanvil_auth = True
    body = configuration("get", "info.dev.Model")
    async with http.post(f"{server.url}/xmlService", data=body) as response:
        assert response.status == 401
        assert response.headers["WWW-Authenticate"].startswith("Basic")
    wrong = basic("admin", "nope")
    async with http.post(f"{server.url}/xmlService", data=body, headers=wrong) as response:
        assert response.status == 401
    user = basic("user", "123")
    async with http.post(f"{server.url}/xmlService", data=body, headers=user) as response:
        assert response.status == 401
    answer = await post_xml(http, server, body, headers=basic("admin", "admin"))
    assert info_items(answer) == {"info.dev.Model": "X6"}
    items = info_items(
        await post_xml(
            http,
            server,
            configuration("get", "pushxml.AuthEnable"),
            headers=basic("admin", "admin"),
        )
    )
    assert items == {"pushxml.AuthEnable": "1"}


async def test_push_xml_auth_garbage_header(
    http: aiohttp.ClientSession, server: SimulatorServer, phone: SimulatedPhone
) -> None:
    phone.fanvil_auth = True
    headers = {"Authorization": "Basic !!!not-base64"}
    async with http.post(f"{server.url}/xmlService", data="<x/>", headers=headers) as response:
        assert response.status == 401


async def test_dial_without_a_free_line(
    http: aiohttp.ClientSession, server: SimulatorServer, phone: SimulatedPhone
) -> None:
    phone.ring(1, "1")
    phone.ring(2, "2")
    assert ret_code(await post_xml(http, server, execute("Dial:3"))) == "3"
    assert phone.calls == ["3"]


async def test_set_display_name(
    http: aiohttp.ClientSession, server: SimulatorServer, phone: SimulatedPhone
) -> None:
    await post_xml(http, server, configuration("set", "sip.line.2.DisplayName = Front desk"))
    assert phone.account(2).name == "Front desk"


async def test_cmd_reboot(
    http: aiohttp.ClientSession, server: SimulatorServer, phone: SimulatedPhone
) -> None:
    phone.timings.reboot = 0.2
    assert ret_code(await post_xml(http, server, execute("Cmd:reboot"))) == "0"
    assert phone.rebooting


async def test_text_screen_shows_title_and_text(
    http: aiohttp.ClientSession, server: SimulatorServer, phone: SimulatedPhone
) -> None:
    text = "<Title>Door</Title><Text>parcel</Text>"
    body = f'{HEAD}<FanvilIPPhoneText Beep="yes">{text}</FanvilIPPhoneText>'
    assert ret_code(await post_xml(http, server, body)) == "0"
    empty = f"{HEAD}<FanvilIPPhoneText><Title>Door</Title><Text> </Text></FanvilIPPhoneText>"
    assert ret_code(await post_xml(http, server, empty)) == "2"
    assert phone.screen == ["Door: parcel"]
    async with http.get(f"{server.url}/_sim/screen") as response:
        assert await response.json() == ["Door: parcel"]


async def test_lenient_and_read_only_keys(
    http: aiohttp.ClientSession, server: SimulatorServer, phone: SimulatedPhone
) -> None:
    phone.ignored_config.add("tr069.acsurl")
    phone.read_only_config.add("sip.pnpip")
    assert ret_code(await post_xml(http, server, configuration("set", "tr069.ACSURL = x"))) == "0"
    assert "tr069.ACSURL" not in phone.config
    assert ret_code(await post_xml(http, server, configuration("set", "sip.PNPIP = 1"))) == "2"
    assert "sip.PNPIP" not in phone.config
