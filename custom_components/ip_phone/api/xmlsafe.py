"""XML in and out without string gluing and without entity expansion.

Parsing goes through the standard library's expat with every DTD refused, so no entity, internal
("billion laughs") or external, can be declared; an undeclared entity is a parse error. Nesting
deeper than MAX_DEPTH is refused as it is met, before a tree is built.
Building goes through xml.etree, which escapes text and attributes itself.
"""

import re
from typing import Final, NoReturn
import xml.etree.ElementTree as ET
from xml.parsers import expat

from .errors import PhoneResponseError

XML_DECLARATION: Final = b'<?xml version="1.0" encoding="UTF-8" ?>\n'
# Fanvil answers nest three levels deep; anything past this is broken or hostile.
MAX_DEPTH: Final = 32

# Quirks seen in the Fanvil guide's own examples: typographic quotes around attribute values and
# blanks inside tags ("</ FanvilConfiguration >", "< FanvilPhoneExecute >").
_SMART_QUOTES: Final = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})
_OPEN_BLANK: Final = re.compile(r"<\s+(?=[A-Za-z_])")
_CLOSE_BLANK: Final = re.compile(r"<\s*/\s+")


def _refuse(*_args: object) -> NoReturn:
    raise PhoneResponseError("XML with a DTD or entity declarations is refused")


def repair(text: str) -> str:
    """Fix the harmless quirks real firmware writes, before parsing."""
    return _CLOSE_BLANK.sub("</", _OPEN_BLANK.sub("<", text.translate(_SMART_QUOTES)))


class _DepthLimit:
    """Element handlers that refuse a document nested deeper than MAX_DEPTH.

    The refusal comes at the first element too deep, before the parser reads further: a hostile
    answer of a MiB of open tags costs MAX_DEPTH elements, not a tree of a hundred thousand.
    """

    def __init__(self, builder: ET.TreeBuilder) -> None:
        self._builder = builder
        self._depth = 0

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise PhoneResponseError(f"XML nested deeper than {MAX_DEPTH} levels is refused")
        self._builder.start(tag, attrs)

    def end(self, tag: str) -> None:
        self._depth -= 1
        self._builder.end(tag)


def parse_xml(text: str) -> ET.Element:
    """Parse a document into an Element, refusing DTDs; PhoneResponseError on anything malformed."""
    builder = ET.TreeBuilder()
    limit = _DepthLimit(builder)
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.UnparsedEntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    parser.StartElementHandler = limit.start
    parser.EndElementHandler = limit.end
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(repair(text), True)  # noqa: FBT003 (expat takes isfinal positionally)
        return builder.close()
    except PhoneResponseError:
        raise
    except (expat.ExpatError, ValueError, AssertionError, RecursionError) as err:
        raise PhoneResponseError(f"Malformed XML: {err}") from None


def to_bytes(root: ET.Element) -> bytes:
    """Serialise a request document with its XML declaration; escaping is done by ElementTree."""
    return XML_DECLARATION + ET.tostring(root, encoding="unicode").encode()


def local_name(tag: str) -> str:
    """Return the tag without a namespace, lower-cased (firmware varies case: Info/info)."""
    return tag.rsplit("}", 1)[-1].lower()
