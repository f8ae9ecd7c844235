"""Tolerant decoding shared by the dialects: pure functions over bytes, str and decoded JSON.

Real firmware serves JSON as text/plain, wraps GMI answers in JSONP callbacks, and drifts between
numbers-as-strings and strings-as-numbers. Every function here either returns a value or raises
`PhoneResponseError`; nothing else escapes.
"""

from collections.abc import Mapping
import json
import math
import re
from typing import Final

from .errors import PhoneResponseError
from .redaction import quote

type JsonValue = bool | int | float | str | list[JsonValue] | dict[str, JsonValue] | None
type JsonObject = Mapping[str, JsonValue]

_JSONP: Final = re.compile(r"^[A-Za-z_$][\w$.]*\s*\((?P<inner>.*)\)\s*;?$", re.DOTALL)
_MAC_HEX: Final = re.compile(r"[0-9a-fA-F]{12}")
_TRUE: Final = frozenset({"1", "true", "yes", "on", "y", "t", "enabled", "enable"})
_FALSE: Final = frozenset({"0", "false", "no", "off", "n", "f", "disabled", "disable", ""})


def decode_text(body: bytes | str) -> str:
    """Bytes to text: UTF-8 (a BOM allowed), Latin-1 when that fails, stripped."""
    if isinstance(body, str):
        text = body
    else:
        try:
            text = body.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = body.decode("latin-1")
    return text.strip().lstrip("\ufeff").strip()


def unwrap(text: str) -> str:
    """Remove a JSONP callback: `cb({...})` or `cb(4);` gives what is inside."""
    text = text.strip()
    if match := _JSONP.match(text):
        text = match.group("inner").strip()
    return text


def _refuse_constant(name: str) -> JsonValue:
    raise ValueError(f"non-finite number {name}")


def _loads(text: str) -> JsonValue:
    """json.loads, also accepting the quotes some guides print around answers ("{...}")."""
    try:
        value: JsonValue = json.loads(text, parse_constant=_refuse_constant)
    except ValueError:
        if not (text.startswith(('"{', '"[')) and text.endswith(('}"', ']"'))):
            raise
        value = json.loads(text[1:-1], parse_constant=_refuse_constant)
    return value


def parse_json(body: bytes | str) -> JsonValue:
    """Decode a JSON (or JSONP) answer whatever its Content-Type; PhoneResponseError if not JSON."""
    text = unwrap(decode_text(body))
    try:
        return _loads(text)
    except (ValueError, RecursionError) as err:
        raise PhoneResponseError(f"Not JSON: {quote(text)}") from err


def parse_loose(body: bytes | str) -> JsonValue:
    """Like parse_json, but an answer that is not JSON comes back as its text (GMI bare answers)."""
    text = unwrap(decode_text(body))
    try:
        return _loads(text)
    except ValueError, RecursionError:
        return text


def as_object(value: JsonValue, what: str = "answer") -> JsonObject:
    """Return the value as a JSON object, or raise PhoneResponseError."""
    if isinstance(value, dict):
        return value
    raise PhoneResponseError(f"Expected an object in {what}, got {type(value).__name__}")


def as_list(value: JsonValue, what: str = "answer") -> list[JsonValue]:
    """Return the value as a JSON array (a lone object is a list of one), or raise."""
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        return [value]
    raise PhoneResponseError(f"Expected a list in {what}, got {type(value).__name__}")


def as_str(value: JsonValue) -> str:
    """Return any scalar as a string, keeping strings intact (SIP ids such as "0010")."""
    match value:
        case None:
            return ""
        case bool():
            return "1" if value else "0"
        case str():
            return value.strip()
        case int():
            return str(value)
        case float():
            return str(int(value)) if value.is_integer() else repr(value)
        case _:
            return ""


_INTEGER: Final = re.compile(r"[+-]?\d{1,18}(?:\.0*)?")


def as_int(value: JsonValue) -> int | None:
    """Read a whole number from an int, an integral float or a numeric string, else None."""
    match value:
        case bool() | int():
            return int(value)
        case float() if math.isfinite(value) and value.is_integer():
            return int(value)
        case str() if _INTEGER.fullmatch(text := value.strip()):
            return int(text.split(".", 1)[0])
        case _:
            return None


def as_bool(value: JsonValue) -> bool | None:
    """Read a boolean from true/false, 1/0, "1"/"0", "yes"/"no" and the like, else None."""
    match value:
        case bool():
            return value
        case int() | float() if math.isfinite(value):
            return value != 0
        case str() if (text := value.strip().lower()) in _TRUE | _FALSE:
            return text in _TRUE
        case str():
            number = as_int(value)
            return None if number is None else number != 0
        case _:
            return None


def get_ci(obj: JsonObject, *keys: str) -> JsonValue:
    """Return the first of `keys` in `obj`, matched case-insensitively (firmware drifts)."""
    for key in keys:
        if key in obj:
            return obj[key]
    lowered = {k.lower(): v for k, v in obj.items()}
    for key in keys:
        if key.lower() in lowered:
            return lowered[key.lower()]
    return None


def optional_str(value: JsonValue) -> str | None:
    """Return a non-empty string, or None."""
    text = as_str(value)
    return text or None


def normalise_mac(value: JsonValue) -> str | None:
    """Spell a MAC in any common form as lower-case `aa:bb:cc:dd:ee:ff`, or return None."""
    text = re.sub(r"[\s:.\-]", "", as_str(value))
    if not _MAC_HEX.fullmatch(text):
        return None
    text = text.lower()
    return ":".join(text[i : i + 2] for i in range(0, 12, 2))
