"""The elements of a top-level JSON array, read from a file of any size.

A decision database dump is far larger than the 2 MiB an analysis may be, so
it is never read whole: the file is decoded in chunks and each element is
parsed with the standard library's decoder (`JSONDecoder.raw_decode`) as soon
as it is complete. Memory holds one chunk and one element; errors carry the
line number, like the other importers'. No dependency: the standard decoder
is the C one, and what a streaming library would add (events inside an
element) is not needed when elements are small records.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext as _

from core.importing import ImportFileError

CHUNK_BYTES = 1 << 20
# One news item is a few kilobytes; an element larger than this is not one,
# and refusing it keeps a broken or hostile file from filling memory.
MAX_ELEMENT_CHARS = 16 * 1024 * 1024
_WHITESPACE = " \t\n\r"
_DECODER = json.JSONDecoder()


class _Reader:
    def __init__(self, handle, source: str):
        self.handle = handle
        self.source = source
        self.utf8 = codecs.getincrementaldecoder("utf-8")()
        self.buffer = ""
        self.pos = 0
        # Line number of self.pos; lines are counted as the position advances.
        self.line = 1
        self.bytes_read = 0
        self.eof = False

    def error(self, message: str, pos: int | None = None) -> ImportFileError:
        line = self.line if pos is None else self.line + self.buffer.count("\n", self.pos, pos)
        return ImportFileError(self.source, line, message)

    def fill(self) -> None:
        """Append the next chunk to the buffer, dropping what was consumed."""
        if self.pos:
            self.buffer = self.buffer[self.pos :]
            self.pos = 0
        data = self.handle.read(CHUNK_BYTES)
        self.eof = not data
        try:
            text = self.utf8.decode(data, final=self.eof)
        except UnicodeDecodeError as exc:
            offset = self.bytes_read + exc.start
            lines = self.buffer.count("\n") + data.count(b"\n", 0, exc.start)
            raise ImportFileError(
                self.source,
                self.line + lines,
                _("geen geldige UTF-8-tekst (byte %(offset)s); verwacht een UTF-8-tekstbestand")
                % {"offset": offset},
            ) from None
        self.bytes_read += len(data)
        if self.bytes_read == len(data) and text.startswith("\ufeff"):
            text = text[1:]
        self.buffer += text

    def advance(self, to: int) -> None:
        self.line += self.buffer.count("\n", self.pos, to)
        self.pos = to

    def peek(self) -> str:
        """The next character that is not whitespace ('' at the end of the file)."""
        while True:
            while self.pos < len(self.buffer) and self.buffer[self.pos] in _WHITESPACE:
                if self.buffer[self.pos] == "\n":
                    self.line += 1
                self.pos += 1
            if self.pos < len(self.buffer) or self.eof:
                return self.buffer[self.pos : self.pos + 1]
            self.fill()

    def value(self, index: int):
        """Decode the element that starts at self.pos, reading on while it is cut off."""
        while True:
            try:
                element, end = _DECODER.raw_decode(self.buffer, self.pos)
            except json.JSONDecodeError as exc:
                cut_off = exc.pos >= len(self.buffer) - 16 or exc.msg.startswith(
                    "Unterminated string"
                )
                if cut_off and not self.eof:
                    self.read_more(index)
                    continue
                raise self.error(
                    _("geen geldige JSON (%(error)s)") % {"error": exc.msg}, exc.pos
                ) from None
            except RecursionError:
                raise self.error(
                    _("record %(index)s: te diep genest; verwacht een nieuwsbericht")
                    % {"index": index}
                ) from None
            except ValueError as exc:
                # e.g. an integer of more than 4,300 digits.
                raise self.error(
                    _("record %(index)s: geen geldige JSON (%(error)s)")
                    % {"index": index, "error": exc}
                ) from None
            # A number may go on in the next chunk ("12" + "34").
            if end == len(self.buffer) and not self.eof:
                self.read_more(index)
                continue
            self.advance(end)
            return element

    def read_more(self, index: int) -> None:
        if len(self.buffer) - self.pos > MAX_ELEMENT_CHARS:
            raise self.error(
                _("record %(index)s is groter dan %(limit)s tekens; verwacht een nieuwsbericht")
                % {"index": index, "limit": MAX_ELEMENT_CHARS}
            )
        self.fill()


def json_array_elements(path: Path, *, source: str) -> Iterator[tuple[int, int, object]]:
    """(index, line, element) for every element of the JSON array in `path`."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 (closed in the finally below, also mid-iteration)
    except OSError as exc:
        raise ImportFileError(
            source, None, _("kan niet worden gelezen (%(error)s)") % {"error": exc.strerror}
        ) from None
    try:
        reader = _Reader(handle, source)
        if reader.peek() != "[":
            raise reader.error(_("verwacht een JSON-lijst van nieuwsberichten"))
        reader.advance(reader.pos + 1)
        if reader.peek() == "]":
            reader.advance(reader.pos + 1)
        else:
            index = 0
            while True:
                if reader.peek() == "":
                    raise reader.error(_("geen geldige JSON (de lijst is niet afgesloten)"))
                line = reader.line
                yield index, line, reader.value(index)
                index += 1
                separator = reader.peek()
                if separator not in {",", "]"}:
                    raise reader.error(
                        _("geen geldige JSON (verwacht ',' of ']' na record %(index)s)")
                        % {"index": index - 1}
                    )
                reader.advance(reader.pos + 1)
                if separator == "]":
                    break
        if reader.peek() != "":
            raise reader.error(
                _("onverwachte tekst na de lijst; verwacht het einde van het bestand")
            )
    finally:
        handle.close()
