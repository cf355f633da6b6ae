"""Reading a rendered PDF's pages with pypdf: where each piece of text stands, and how full each
page is, for the tests of the report's page layout."""

import io
from dataclasses import dataclass

from pypdf import PdfReader

MM = 72 / 25.4
# print.css: A4, 24 mm top and 20 mm bottom margins; the running header and footer sit outside.
PAGE_HEIGHT = 297 * MM
BODY_TOP = PAGE_HEIGHT - 24 * MM
BODY_BOTTOM = 20 * MM
CHAPTER_TITLE_SIZE = 13.5  # pt: the h1/h2 that open a chapter on a new page are 14 pt and more


@dataclass
class Line:
    y: float  # the baseline, in points from the foot of the page
    size: float  # font size in points
    text: str


@dataclass
class Page:
    number: int
    lines: list  # the body's text, top first

    @property
    def text(self):
        return "\n".join(line.text for line in self.lines)

    @property
    def fill(self):
        """The share of the body's height that text takes, from its top to the lowest line."""
        if not self.lines:
            return 0.0
        lowest = min(line.y for line in self.lines) - 3  # the descenders of the lowest line
        return (BODY_TOP - lowest) / (BODY_TOP - BODY_BOTTOM)

    @property
    def opens_chapter(self):
        return bool(self.lines) and self.lines[0].size >= CHAPTER_TITLE_SIZE

    @property
    def title(self):
        """The text of the title lines opening the page (a title may take several lines)."""
        words = []
        for line in self.lines:
            if line.size < CHAPTER_TITLE_SIZE:
                break
            words.append(line.text)
        return " ".join(" ".join(words).split())

    def index(self, text):
        """The position of the first line holding `text` on the page, or None."""
        return next((i for i, line in enumerate(self.lines) if text in line.text), None)


def pages(content):
    result = []
    for number, page in enumerate(PdfReader(io.BytesIO(content)).pages, start=1):
        lines = []

        def visit(text, cm, tm, font, size, lines=lines):
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if text.strip() and BODY_BOTTOM - 1 < y < BODY_TOP + 1:
                lines.append(Line(y, size * tm[0] * cm[0], text.strip()))

        page.extract_text(visitor_text=visit)
        lines.sort(key=lambda line: -line.y)
        result.append(Page(number, lines))
    return result


def chapter_ends(doc):
    """The pages that close a chapter: the one before a page opening the next, and the last."""
    return {page.number for page, following in zip(doc, doc[1:]) if following.opens_chapter} | {doc[-1].number}


def chapter(doc, title):
    """The pages of the chapter that opens with `title`."""
    start = next(i for i, page in enumerate(doc) if page.opens_chapter and page.title == " ".join(title.split()))
    end = next((i for i in range(start + 1, len(doc)) if doc[i].opens_chapter), len(doc))
    return doc[start:end]
