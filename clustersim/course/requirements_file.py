"""Read a pip requirements file's lines for the doctor, as ``pip install -r`` would find them.

A learner names the file with ``python -m clustersim doctor --requirements FILE``, so it may be
anything: missing, a folder, a binary file, a file ``pip freeze > requirements.txt`` wrote in
Windows PowerShell (UTF-16 with a byte order mark), or one that includes others.

- Decoding: pip reads a requirements file's bytes with ``auto_decode`` (pypa/pip
  ``src/pip/_internal/utils/encoding.py``): a UTF-8, UTF-16 or UTF-32 byte order mark names
  the encoding. Simplified: without one, pip then looks for a ``coding:`` comment in the first
  two lines and falls back to the locale's encoding; this reader takes UTF-8, and refuses a
  file that is not, saying so.
- Includes: a ``-r FILE`` or ``--requirement FILE`` line reads that file too, a relative name
  taken from the including file's folder (pip ``src/pip/_internal/req/req_file.py``,
  ``_parse_and_recurse``). Each file is read once here, so includes that loop end. Simplified:
  pip also fetches an include that is a URL; this reader does not, and says which it skipped.

Only the standard library, as :mod:`clustersim.course.doctor` needs.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

__all__ = ["RequirementsError", "requirement_lines"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
"""Byte order marks and their encodings, the four-byte ones first (UTF-32 LE's mark starts
with UTF-16 LE's)."""
_INCLUDE = re.compile(r"^\s*(?:-r|--requirement)(?:\s*=\s*|\s+|(?=\S))(\S+)")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


class RequirementsError(ValueError):
    """A requirements file that cannot be read, with what to do."""


def _text(path: Path) -> str:
    if path.is_dir():
        raise RequirementsError(f"{path} is a folder, not a requirements file")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise RequirementsError(f"{path} is not there") from None
    except OSError as err:
        raise RequirementsError(f"{path} cannot be read ({err.strerror})") from None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            data, chosen = data[len(bom):], encoding
            break
    else:
        chosen = "utf-8"
    try:
        return data.decode(chosen)
    except UnicodeDecodeError:
        raise RequirementsError(f"{path} is not text in {chosen.upper()} (is it the "
                                "requirements file, not a wheel or an archive?)") from None


def requirement_lines(path: Path) -> tuple[list[str], list[str]]:
    """The lines of ``path`` and of the files it includes, each file read once, and the
    includes that are URLs, which are not fetched. Raises :class:`RequirementsError` for a
    file that is missing, a folder or not text."""
    lines: list[str] = []
    skipped: list[str] = []
    seen: set[Path] = set()
    waiting = [path]
    while waiting:
        current = waiting.pop(0)
        if current.resolve() in seen:
            continue
        seen.add(current.resolve())
        for line in _text(current).splitlines():
            include = _INCLUDE.match(line)
            if include is None:
                lines.append(line)
            elif _URL.match(include[1]):
                skipped.append(include[1])
            else:
                waiting.append(current.parent / include[1])
    return lines, skipped
