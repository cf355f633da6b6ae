"""Search over the guidance text: statements, summaries, guidance paragraphs and list items, actions.

The guidance is a few dozen passages, so it is searched in Python over one prefetched query
(the same on SQLite and PostgreSQL). A statement matches when every word of the query occurs in
it, case-insensitively; the passages holding a word are returned with the words marked. The
text searched is the text the reader is shown: in the active language where the guidance is
translated, in the original English where a passage is not.
"""

import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from guidance.models import GuidanceStatement
from translations.lookup import translated

MAX_TERMS = 10
EXCERPT_CHARS = 240
# Straight and typographic apostrophes and quotes are the same letter to a reader.
_EQUIVALENT = {"'": "['’‘]", "’": "['’‘]", "‘": "['’‘]", '"': '["“”]', "“": '["“”]', "”": '["“”]'}


@dataclass
class Passage:
    where: str  # "Statement", "Summary", "Guidance", "Recommended action", …
    text: str
    excerpt: str  # HTML, escaped, with the matched words in <mark>


@dataclass
class Hit:
    statement: GuidanceStatement
    passages: list


def terms_of(query):
    """The distinct words of a query (at most MAX_TERMS), lower-cased."""
    seen = []
    for word in (query or "").split():
        word = word.strip(".,;:!?()[]").lower()
        if word and word not in seen:
            seen.append(word)
    return seen[:MAX_TERMS]


def _pattern(term):
    return "".join(_EQUIVALENT.get(ch, re.escape(ch)) for ch in term)


def passages_of(statement):
    """(where, text) of each passage of `statement`, in the active language."""
    yield _("Statement"), translated(statement, "text")
    yield _("Summary"), translated(statement, "summary")
    for block in statement.blocks.all():
        if block.kind == block.Kind.PARAGRAPH:
            yield _("Guidance"), translated(block, "text")
        else:
            for item in translated(block, "items"):
                yield _("Guidance"), item
    yield _("Recommended actions"), translated(statement, "actions_intro")
    for action in statement.actions.all():
        yield _("Recommended action"), translated(action, "text")


def _window_start(text, regexes, any_term, width):
    """Where to start an excerpt so that it shows as many different words of the query as it can."""
    best, best_count = 0, -1
    for match in any_term.finditer(text):
        start = max(0, match.start() - width // 3)
        window = text[start : start + width]
        count = sum(1 for regex in regexes if regex.search(window))
        if count > best_count:
            best, best_count = start, count
    return best


def excerpt(text, regexes, any_term, width=EXCERPT_CHARS):
    """The text around the query's words, at most about `width` characters, escaped, words marked."""
    start, end = 0, len(text)
    if len(text) > width:
        start = _window_start(text, regexes, any_term, width)
        if start:
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < start + width // 3 else start
        end = min(len(text), start + width)
        if end < len(text):
            space = text.rfind(" ", start, end)
            end = space if space > start else end
    shown = text[start:end]
    parts, last = [], 0
    for match in any_term.finditer(shown):
        parts.append(escape(shown[last : match.start()]))
        parts.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    parts.append(escape(shown[last:]))
    html = "".join(parts)
    return mark_safe(("… " if start else "") + html + (" …" if end < len(text) else ""))


def search(query):
    """Statements holding every word of `query`, in module order, each with its matching passages."""
    terms = terms_of(query)
    if not terms:
        return []
    regexes = [re.compile(_pattern(term), re.IGNORECASE) for term in terms]
    any_term = re.compile("|".join(_pattern(term) for term in terms), re.IGNORECASE)
    hits = []
    for statement in GuidanceStatement.objects.with_content().order_by("module__number", "position"):
        passages = list(passages_of(statement))
        if not all(any(r.search(text) for _, text in passages) for r in regexes):
            continue
        found = [
            Passage(where=where, text=text, excerpt=excerpt(text, regexes, any_term))
            for where, text in passages
            if any_term.search(text)
        ]
        hits.append(Hit(statement=statement, passages=found))
    return hits
