"""Compiling the interface's message catalogues (.po → .mo) with the standard library alone.

GNU gettext's `msgfmt` is what Django's `compilemessages` runs; a laptop with only Python has
none, so `compile_catalogs` falls back to this. It writes what `msgfmt` writes for our catalogues:
translated entries only (no fuzzy, no untranslated, no obsolete ones), contexts as
"context\\x04msgid", plural forms joined with NUL bytes, keys sorted, no hash table.
"""
import ast
import os
import struct
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

MO_MAGIC = 0x950412DE
# The project's catalogues (settings.LOCALE_PATHS), for callers without Django settings.
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict = field(default_factory=dict)  # {index: text}; index 0 for a singular entry
    flags: set = field(default_factory=set)
    obsolete: bool = False
    line: int = 0

    @property
    def fuzzy(self):
        return "fuzzy" in self.flags

    @property
    def translated(self):
        return bool(self.msgstr) and all(self.msgstr.values())


class PoSyntaxError(ValueError):
    pass


def _unquote(text, path, number):
    text = text.strip()
    if not (text.startswith('"') and text.endswith('"')) or len(text) < 2:
        raise PoSyntaxError(f"{path}:{number}: expected a quoted string, got {text[:40]!r}")
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError) as error:
        raise PoSyntaxError(f"{path}:{number}: bad string {text[:40]!r}: {error}") from None


def parse_po(path):
    """The entries of a .po file, header first (msgid ""), in file order."""
    entries, entry, target = [], None, None
    path = Path(path)

    def finish():
        nonlocal entry, target
        if entry is not None and (entry.msgstr or entry.msgid):
            entries.append(entry)
        entry, target = None, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if not line:
            finish()
            continue
        if line.startswith("#"):
            if target is not None and target[0] == "msgstr":
                finish()
            if line.startswith("#,"):
                entry = entry or Entry(line=number)
                entry.flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            if entry is None or target is None:
                raise PoSyntaxError(f"{path}:{number}: a string continues nothing")
            kind, index = target
            text = _unquote(line, path, number)
            if kind == "msgstr":
                entry.msgstr[index] += text
            else:
                setattr(entry, kind, getattr(entry, kind) + text)
            continue
        if keyword in ("msgctxt", "msgid") and target is not None and target[0] == "msgstr":
            finish()
        entry = entry or Entry(line=number)
        entry.obsolete = entry.obsolete or obsolete
        if keyword in ("msgctxt", "msgid", "msgid_plural"):
            setattr(entry, keyword, _unquote(rest, path, number))
            target = (keyword, None)
        elif keyword == "msgstr":
            entry.msgstr[0] = _unquote(rest, path, number)
            target = ("msgstr", 0)
        elif keyword.startswith("msgstr[") and keyword.endswith("]"):
            index = int(keyword[7:-1])
            entry.msgstr[index] = _unquote(rest, path, number)
            target = ("msgstr", index)
        else:
            raise PoSyntaxError(f"{path}:{number}: unknown keyword {keyword!r}")
    finish()
    return entries


def mo_bytes(entries):
    """The GNU .mo file of `entries`: the header and every translated, non-fuzzy entry."""
    messages = {}
    for entry in entries:
        if entry.obsolete or (entry.fuzzy and entry.msgid) or not entry.translated and entry.msgid:
            continue
        key = entry.msgid if entry.msgid_plural is None else f"{entry.msgid}\0{entry.msgid_plural}"
        if entry.msgctxt is not None:
            key = f"{entry.msgctxt}\x04{key}"
        value = "\0".join(entry.msgstr[i] for i in sorted(entry.msgstr))
        if not entry.msgid:  # the header: msgfmt leaves out the template's creation date
            value = "".join(line for line in value.splitlines(True) if not line.startswith("POT-Creation-Date:"))
        messages[key.encode("utf-8")] = value.encode("utf-8")
    keys = sorted(messages)
    count = len(keys)
    originals_at = 7 * 4
    translations_at = originals_at + count * 8
    data_at = translations_at + count * 8
    tables, data = [], b""
    for strings in (keys, [messages[k] for k in keys]):
        table = []
        for text in strings:
            table.append((len(text), data_at + len(data)))
            data += text + b"\0"
        tables.append(table)
    header = struct.pack("<7I", MO_MAGIC, 0, count, originals_at, translations_at, 0, data_at)
    packed = b"".join(struct.pack("<2I", *pair) for table in tables for pair in table)
    return header + packed + data


def compile_po(po_path):
    """Write the .mo beside `po_path` (atomically, so concurrent readers never see half a file)."""
    po_path = Path(po_path)
    content = mo_bytes(parse_po(po_path))
    mo_path = po_path.with_suffix(".mo")
    handle, temporary = tempfile.mkstemp(dir=mo_path.parent, prefix=".tmp-", suffix=".mo")
    with os.fdopen(handle, "wb") as stream:
        stream.write(content)
    os.replace(temporary, mo_path)
    return mo_path


def catalogues(locale_dirs):
    """Every .po file under the given locale folders, sorted."""
    return sorted(path for folder in locale_dirs for path in Path(folder).glob("*/LC_MESSAGES/*.po"))


def stale(po_path):
    mo_path = Path(po_path).with_suffix(".mo")
    return not mo_path.exists() or mo_path.stat().st_mtime_ns < Path(po_path).stat().st_mtime_ns
