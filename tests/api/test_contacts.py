"""The phonebook over real HTTP (Web API, GMI), and the parsers fed every shape the guides show."""

from collections.abc import Callable

import pytest

from custom_components.ip_phone.api import (
    Capability,
    Contact,
    ContactGroup,
    NumberKind,
    PhoneClient,
    PhoneCommandError,
    PhoneResponseError,
    PhoneUnsupportedError,
)
from custom_components.ip_phone.api.grandstream import parse_envelope
from custom_components.ip_phone.api.parsing import JsonValue, parse_loose
from custom_components.ip_phone.api.phonebook import parse_contacts, parse_groups, read_body
from simulator import Dialect, SimulatorServer
from simulator.state import Contact as SimContact
from tests.helpers import login_attempts, requests_to

from .conftest import make_phone, served

PHONEBOOK = [Dialect.GRANDSTREAM_WEBAPI, Dialect.GRANDSTREAM_GMI]
NO_PHONEBOOK = [Dialect.GRANDSTREAM_CTI, Dialect.FANVIL]
# The guides' own example (Web API "Get Contact", GMI "getContact" the same plus "photo").
GUIDE_CONTACTS = (
    Contact(id="0", name="xxx", group="0", work="8819"),
    Contact(id="1", name="grandstream", group="0", work="3587"),
)


def only(*dialects: Dialect) -> pytest.MarkDecorator:
    """Run a test for these dialects alone."""
    return pytest.mark.parametrize("dialect", dialects, ids=[d.value for d in dialects])


@only(*PHONEBOOK)
async def test_reads_the_factory_phonebook(client: PhoneClient) -> None:
    assert {Capability.CONTACTS, Capability.EDIT_CONTACTS} <= client.capabilities
    assert await client.get_contacts() == GUIDE_CONTACTS
    assert await client.get_groups() == (
        ContactGroup(id="0", name="default"),
        ContactGroup(id="100", name="blacklist"),
    )


@only(*PHONEBOOK)
async def test_search_is_sent_to_the_phone(server: SimulatorServer, client: PhoneClient) -> None:
    server.phone.phonebook.save(SimContact(-1, "Annex", "Lobby", mobile="0700 1"))
    await client.status()  # logged in, with the forms session a guide-strict Web API wants
    found = await client.get_contacts("ANNEX")
    assert [(c.name, c.mobile) for c in found] == [("Annex Lobby", "0700 1")]
    assert requests_to(server.phone, "ANNEX") == 1


@only(*PHONEBOOK)
async def test_numbers_by_kind_in_dialling_order(
    server: SimulatorServer, client: PhoneClient
) -> None:
    server.phone.phonebook.save(SimContact(7, "Workshop", home="2", mobile="3", fax="4", work="1"))
    (workshop,) = await client.get_contacts("Workshop")
    assert list(workshop.numbers.items()) == [
        (NumberKind.WORK, "1"),
        (NumberKind.MOBILE, "3"),
        (NumberKind.HOME, "2"),
        (NumberKind.FAX, "4"),
    ]


@only(*PHONEBOOK)
async def test_an_empty_phonebook_is_empty(server: SimulatorServer, client: PhoneClient) -> None:
    # GMI answers {"res":"error","msg":"0"} when there is nothing; that is not an error.
    server.phone.phonebook.clear()
    assert await client.get_contacts() == ()
    assert await client.get_contacts("nobody") == ()


@only(*PHONEBOOK)
async def test_add_edit_delete_a_contact(server: SimulatorServer, client: PhoneClient) -> None:
    book = server.phone.phonebook
    new_id = await client.save_contact(Contact(name=" Annex Lobby ", mobile="5551234", group="0"))
    (annex,) = await client.get_contacts("Annex")
    assert (annex.name, annex.mobile, annex.work) == ("Annex Lobby", "5551234", "")
    assert new_id in (annex.id, None)  # GMI tells the new id; the Web API's answer does not
    await client.save_contact(Contact(id=annex.id, name="Annex", work="100", email="a@example.com"))
    saved = book.contact(int(annex.id))
    assert saved is not None
    assert (saved.name, saved.work, saved.mobile, saved.email) == (
        "Annex",
        "100",
        "",
        "a@example.com",
    )
    await client.delete_contact(annex.id)
    assert book.contact(int(annex.id)) is None
    assert len(book.contacts) == len(GUIDE_CONTACTS)


@only(*PHONEBOOK)
async def test_add_rename_delete_a_group(server: SimulatorServer, client: PhoneClient) -> None:
    await client.save_group(ContactGroup(name="Family"))
    (family,) = [g for g in await client.get_groups() if g.name == "Family"]
    await client.save_group(ContactGroup(id=family.id, name="Kin"))
    assert ContactGroup(id=family.id, name="Kin") in await client.get_groups()
    await client.delete_group(family.id)
    assert family.id not in {g.id for g in await client.get_groups()}


@only(*PHONEBOOK)
async def test_refusals_are_command_errors(server: SimulatorServer, client: PhoneClient) -> None:
    with pytest.raises(PhoneCommandError):
        await client.delete_contact("99")
    with pytest.raises(PhoneCommandError):
        await client.delete_group("99")
    assert len(server.phone.contacts) == len(GUIDE_CONTACTS)


@only(*PHONEBOOK)
async def test_a_phonebook_read_logs_in_again_after_expiry(
    server: SimulatorServer, client: PhoneClient
) -> None:
    await client.get_contacts()
    server.phone.auth.reset()  # every session gone, as after a reboot
    assert await client.get_contacts() == GUIDE_CONTACTS
    assert login_attempts(server.phone) == 2


@only(*NO_PHONEBOOK)
async def test_no_phonebook_is_refused_before_sending(
    server: SimulatorServer, client: PhoneClient
) -> None:
    calls: list[Callable[[], object]] = [
        client.get_contacts,
        client.get_groups,
        lambda: client.save_contact(Contact(name="Anna", work="1")),
        lambda: client.delete_contact("1"),
        lambda: client.save_group(ContactGroup(name="x")),
        lambda: client.delete_group("1"),
    ]
    for call in calls:
        with pytest.raises(PhoneUnsupportedError):
            await call()  # type: ignore[misc]
    assert server.phone.requests == []


@pytest.mark.parametrize(
    ("contact", "message"),
    [
        (Contact(name=" "), "name must not be empty"),
        (Contact(name="a::b", work="1"), "'::'"),
        (Contact(name="Anna", work="1&2"), "number may hold"),
        (Contact(name="Anna", work="1\n2"), "number may hold"),
        (Contact(name="An\nna", work="1"), "control characters"),
        (Contact(id="x", name="Anna"), "contact id"),
        (Contact(name="Anna", group="-1"), "group id"),
        (Contact(name="A" * 200), "longer than"),
    ],
)
@only(Dialect.GRANDSTREAM_GMI)
async def test_bad_contacts_are_refused_before_sending(
    server: SimulatorServer, client: PhoneClient, contact: Contact, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        await client.save_contact(contact)
    with pytest.raises(ValueError, match="contact id"):
        await client.delete_contact("")  # GMI would remove every contact
    with pytest.raises(ValueError, match="group name"):
        await client.save_group(ContactGroup(name=""))
    with pytest.raises(ValueError, match="control characters"):
        await client.get_contacts("a\x00")
    assert server.phone.requests == []


# Parsers ---------------------------------------------------------------------------------------
WEBAPI_ANSWER = b"""{"res": "success", "msg": [
 {"contactID": "0", "contactName": "xxx", "groupID": "0", "work": "8819", "home": "", "mobile": "",
  "fax": "", "email": ""},
 {"contactID": "1", "contactName": "grandstream", "groupID": "0", "work": "3587", "home": "",
  "mobile": "", "fax": "", "email": ""}]}"""
GMI_ANSWER = b"""callback({"res": "success", "msg":
[{"contactID":"0","contactName":"xxx","groupID":"0","work":"8819","home":"","mobile":"","fax":"",
"photo":"","email":""},
{"contactID":"1","contactName":"grandstream","groupID":"0","work":"3587","home":"","mobile":"",
"fax":"","photo":"","email":""}]})"""


@pytest.mark.parametrize("body", [WEBAPI_ANSWER, GMI_ANSWER], ids=["webapi", "gmi"])
def test_the_guides_answers(body: bytes) -> None:
    assert parse_contacts(parse_loose(body)) == GUIDE_CONTACTS


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # Numbers as numbers, keys in another case, a lone object for a list of one.
        (
            {"contactid": 3, "CONTACTNAME": "Anna", "groupid": 0, "Mobile": 5551234},
            (Contact(id="3", name="Anna", group="0", mobile="5551234"),),
        ),
        # A name split in two, the phonebook download's "Cell" and "Mail".
        (
            [{"id": "4", "FirstName": "Annex", "LastName": "Lobby", "cell": "1", "mail": "a@b"}],
            (Contact(id="4", name="Annex Lobby", mobile="1", email="a@b"),),
        ),
        # No name: the number stands in; nothing at all: left out; not an object: left out.
        (
            [{"contactID": "5", "work": "77"}, {"contactID": "6"}, "x"],
            (Contact(id="5", name="77", work="77"),),
        ),
        (
            {"res": "success", "msg": {"contacts": [{"name": "Loft", "home": "9"}]}},
            (Contact(name="Loft", home="9"),),
        ),
        ({"res": "error", "msg": "0"}, ()),
        ("", ()),
        (None, ()),
        ([], ()),
    ],
)
def test_tolerant_contacts(value: object, expected: tuple[Contact, ...]) -> None:
    assert parse_contacts(value) == expected  # type: ignore[arg-type]


def test_tolerant_groups() -> None:
    # The guide's group table spells "goupID"; its example says groupID.
    value: JsonValue = [
        {"goupID": "2", "groupName": "Family"},
        {"groupID": 3, "name": "Work"},
        {"id": "4"},
    ]
    assert parse_groups(value) == (
        ContactGroup(id="2", name="Family"),
        ContactGroup(id="3", name="Work"),
    )
    assert parse_groups({"res": "error", "msg": "0"}) == ()


def test_a_refused_read_is_an_error_unless_it_says_nothing() -> None:
    assert read_body(parse_envelope(b'{"res": "error", "msg": "0"}'), "x") == []
    with pytest.raises(PhoneResponseError, match="can't get"):
        read_body(parse_envelope(b'{"res":"error","msg":"can\'t get contacts information"}'), "x")
    with pytest.raises(PhoneResponseError):
        parse_contacts("garbage")


@pytest.mark.parametrize("lenient", [False, True], ids=["guide", "lenient"])
async def test_webapi_phonebook_over_the_forms_session(
    make_client: Callable[..., PhoneClient], *, lenient: bool
) -> None:
    """Read and write through the forms session, the only one the guide lists for them.

    Lenient firmware lets the token session serve them too: then no forms login is spent.
    """
    phone = make_phone(Dialect.GRANDSTREAM_WEBAPI, lenient_auth=lenient)
    async with served(phone) as server:
        client = make_client(server)
        await client.status()
        assert await client.get_contacts() == GUIDE_CONTACTS
        await client.save_contact(Contact(name="Anna", work="5551234"))
        assert [c.name for c in await client.get_contacts("anna")] == ["Anna"]
        forms_logins = sum(r.path == "/cgi-bin/dologin" for r in phone.requests)
        assert forms_logins == (0 if lenient else 1)
