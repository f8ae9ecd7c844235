"""Who a spoken name or a number is: an index over every contact the integration knows.

Pure: no Home Assistant here, so the resolver is benchmarked and tested on its own. The sources,
in order: the user's contacts (the placing phone's, then the others'), the placing phone's
phonebook, the other phones' phonebooks, the phones themselves (a phone's name calls its SIP id).
"""

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from itertools import accumulate
import re
from typing import Final

from .api import NumberKind

# Said before or after a name, never part of one ("call my mum please", "ruf die Mama an").
_LEADING: Final = frozenset(
    {
        *("the", "my", "our", "her", "his", "their", "a"),
        *("der", "die", "das", "dem", "den", "vom", "von", "am", "im"),
        *("mein", "meine", "meinen", "meinem", "meiner", "unser", "unsere", "unseren"),
        *("de", "het", "mijn", "onze", "le", "la", "les", "l", "mon", "ma", "mes", "el", "mi"),
    }
)
_TRAILING: Final = frozenset({"please", "now", "bitte", "jetzt", "mal", "alsjeblieft", "svp"})
_NUMBER_WORDS: Final = frozenset(
    {"number", "extension", "ext", "nummer", "durchwahl", "numero", "número", "toestel"}
)
_APOSTROPHES: Final = re.compile("['\u2019`]")
_SEPARATORS: Final = re.compile(r"[^\w@+*#.]+|(?<!\w)\.|\.(?!\w)")
_DIAL_PUNCTUATION: Final = re.compile(r"[\s\-().]")
_DIALABLE: Final = re.compile(r"\+?[0-9*#]+")
_SIP_URI: Final = re.compile(r"[0-9A-Za-z*#+._-]+@[0-9A-Za-z._-]+")
TAIL_DIGITS: Final = 8  # numbers this long or longer match on their last 8 digits
MAX_CANDIDATES: Final = 3


class Source(IntEnum):
    """Where a contact comes from; lower is preferred."""

    CONTACT = 0  # the user's list in a phone's options
    PHONEBOOK = 1  # a phone's own phonebook
    PHONE = 2  # one of the phones, by its name


@dataclass(frozen=True, slots=True, kw_only=True)
class Known:
    """One contact as the index holds it; `entry_id` is the phone whose list or phonebook it is."""

    name: str
    number: str
    source: Source
    entry_id: str = ""
    aliases: tuple[str, ...] = ()
    numbers: Mapping[NumberKind, str] = field(default_factory=dict)

    def number_for(self, kind: NumberKind | None) -> str:
        """Return the number of `kind` where the contact has one, else its first."""
        return self.numbers.get(kind, self.number) if kind else self.number


@dataclass(frozen=True, slots=True)
class Resolved:
    """What to dial, and the name to say."""

    name: str
    number: str
    source: Source | None  # None: a number said as it is


class ContactNotFoundError(LookupError):
    """Nobody known by that name, and not a number."""


class ContactAmbiguousError(LookupError):
    """Several contacts fit, with different numbers."""

    def __init__(self, candidates: list[str]) -> None:
        """Keep the names to offer (at most MAX_CANDIDATES)."""
        super().__init__(", ".join(candidates))
        self.candidates = candidates


def normalise(text: str) -> str:
    """Return `text` as compared: case-folded, punctuation and filler words removed."""
    words = _SEPARATORS.sub(" ", _APOSTROPHES.sub("", text.casefold())).split()
    while len(words) > 1 and words[0] in _LEADING:
        words.pop(0)
    while len(words) > 1 and words[-1] in _TRAILING:
        words.pop()
    return " ".join(words)


def compact_number(text: str) -> str:
    """Return `text` without the spaces, dashes, brackets and dots people write numbers with."""
    return _DIAL_PUNCTUATION.sub("", text)


def literal_number(text: str) -> str | None:
    """Return the number `text` says ("555 1234", "extension 201", "201@pbx"), else None.

    A bare word is never a number here, although a phone would dial it as a SIP user.
    """
    words = [word for word in text.split() if word.casefold() not in _NUMBER_WORDS]
    if "@" in (joined := "".join(words)):
        return joined if _SIP_URI.fullmatch(joined) else None
    number = compact_number(joined)
    return number if _DIALABLE.fullmatch(number) else None


def _tail(number: str) -> str | None:
    digits = re.sub(r"\D", "", number)
    return digits[-TAIL_DIGITS:] if len(digits) >= TAIL_DIGITS else None


class ContactIndex:
    """Every known contact, indexed by name, alias and number; built once, read many times."""

    def __init__(self, known: Iterable[Known]) -> None:
        """Index `known`, in the order given within each source."""
        self._exact: dict[str, list[Known]] = {}
        self._names: list[tuple[str, Known]] = []
        self._by_number: dict[str, str] = {}
        self._by_tail: dict[str, str] = {}
        # Every name in one string, built at the first search that needs it.
        self._haystack: str | None = None
        self._starts: list[int] = []
        for item in sorted(known, key=lambda k: k.source):
            keys = {normalise(name) for name in (item.name, *item.aliases)} - {""}
            for key in keys:
                self._exact.setdefault(key, []).append(item)
                self._names.append((f" {key}", item))
            for number in {item.number, *item.numbers.values()} - {""}:
                self._by_number.setdefault(compact_number(number), item.name)
                if (tail := _tail(number)) is not None:
                    self._by_tail.setdefault(tail, item.name)

    def _search(self, word: str) -> list[Known]:
        """Return the contacts with a name holding `word`: one C-level scan of all names."""
        if self._haystack is None:
            self._starts = list(accumulate((len(name) + 1 for name, _ in self._names), initial=0))
            self._haystack = "".join(f"{name}\0" for name, _ in self._names)
        found = []
        position = self._haystack.find(word)
        while position != -1:
            index = bisect_right(self._starts, position) - 1
            found.append(self._names[index][1])
            position = self._haystack.find(word, self._starts[index + 1])
        return found

    def __len__(self) -> int:
        """Return how many names and aliases are indexed."""
        return len(self._names)

    def resolve(
        self, text: str, entry_id: str | None = None, kind: NumberKind | None = None
    ) -> Resolved:
        """Return who `text` is for a call from the phone of `entry_id`.

        An exact name or alias first (the best source only), then a number said as it is, then
        names with a word or a start that fits. Several fits with different numbers are ambiguous.
        """
        key = normalise(text)
        if not key:
            raise ContactNotFoundError(text)
        if exact := self._exact.get(key):
            return _pick(_best_source(exact, entry_id), entry_id, kind)
        if (number := literal_number(text)) is not None:
            return Resolved(number, number, None)
        # A name with a word starting so ("Ann" fits "Anna" and "Annex Lobby"): one substring test
        # per name, on names kept with a space before each word.
        fits = self._search(f" {key}")
        if not fits:
            raise ContactNotFoundError(text)
        return _pick(fits, entry_id, kind)

    def name_for(self, number: str) -> str | None:
        """Return the contact name for a caller's number: exact digits, else the last 8."""
        if not number:
            return None
        if (name := self._by_number.get(compact_number(number))) is not None:
            return name
        tail = _tail(number)
        return None if tail is None else self._by_tail.get(tail)


def _rank(item: Known, entry_id: str | None) -> tuple[int, int]:
    return item.source, 0 if item.entry_id == entry_id else 1


def _best_source(items: list[Known], entry_id: str | None) -> list[Known]:
    best = min(_rank(item, entry_id) for item in items)
    return [item for item in items if _rank(item, entry_id) == best]


def _pick(items: list[Known], entry_id: str | None, kind: NumberKind | None) -> Resolved:
    """Return the one contact `items` mean, or raise ContactAmbiguousError with their names.

    Candidates with the same number are one; so are several numbers of one name (the best
    source's wins). Looking stops once there are more names than would be offered.
    """
    ranked = sorted(items, key=lambda item: _rank(item, entry_id))
    first = ranked[0]
    numbers: set[str] = set()
    names: dict[str, str] = {}
    for item in ranked:
        number = compact_number(item.number_for(kind))
        if number in numbers:
            continue
        numbers.add(number)
        names.setdefault(normalise(item.name), item.name)
        if len(names) > MAX_CANDIDATES:
            break
    if len(names) > 1:
        raise ContactAmbiguousError(list(names.values())[:MAX_CANDIDATES])
    return Resolved(first.name, compact_number(first.number_for(kind)), first.source)
