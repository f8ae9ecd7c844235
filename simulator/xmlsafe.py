"""Parse XML from the network without the entity tricks (billion laughs, external entities).

The project's environment has no defusedxml, so expat is driven here directly, with handlers that
refuse any DTD and any entity declaration the moment the parser meets one.
"""

from typing import Final, NoReturn
from xml.etree.ElementTree import Element, ParseError, TreeBuilder
from xml.parsers import expat

REFUSED: Final = (
    "StartDoctypeDeclHandler",
    "EntityDeclHandler",
    "UnparsedEntityDeclHandler",
    "ExternalEntityRefHandler",
)


class UnsafeXMLError(ValueError):
    """The document declares a DTD or an entity, which this parser refuses."""


def _refuse(*_: object) -> NoReturn:
    raise UnsafeXMLError("DTDs and entity declarations are refused")


def parse(data: bytes) -> Element:
    """Parse `data`; raise `UnsafeXMLError` or `xml.etree.ElementTree.ParseError`."""
    builder = TreeBuilder()
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    for handler in REFUSED:
        setattr(parser, handler, _refuse)
    try:
        parser.Parse(data, True)  # noqa: FBT003 - expat's own signature
    except expat.ExpatError as err:
        raise ParseError(str(err)) from err
    return builder.close()


__all__ = ["ParseError", "UnsafeXMLError", "parse"]
