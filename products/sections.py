"""The sections of a startup's markdown body (beta.gouv.fr files), found by the first word of their
heading: "## Problème", "## Le problème", "## Problème visé :", "## 🎯 Objectifs à 6 mois",
"## **Stratégie**", "## Notre stratégie"… Pure functions: the importer fills `problem`,
`solution`, `objectives` and `strategy` with them, the startup page shows the rest of the body."""

import re

PROBLEM_WORDS = {"problème", "problèmes", "probleme", "problemes"}
SOLUTION_WORDS = {"solution", "solutions"}
OBJECTIVES_WORDS = {"objectif", "objectifs"}
STRATEGY_WORDS = {"stratégie", "stratégies", "strategie", "strategies"}
# The sections the startup page shows under their own title, in this order. One of them nested in
# another ("### Solution" under "## Problème") ends the outer one: each text is shown once.
STARTUP_SECTIONS = (PROBLEM_WORDS, SOLUTION_WORDS, OBJECTIVES_WORDS, STRATEGY_WORDS)

_ARTICLES = ("le ", "la ", "les ", "l'", "l’", "notre ", "nos ")
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)
_LEADING_SYMBOLS = re.compile(r"^[^\w]+")  # emoji, "♟️", punctuation before the first word


def heading_word(title: str) -> str:
    """The first word of a heading, lower case, without markup, leading symbols nor article."""
    title = _LEADING_SYMBOLS.sub("", re.sub(r"[*_`]", "", title).strip().lower())
    for article in _ARTICLES:
        if title.startswith(article):
            title = title[len(article) :].lstrip()
            break
    match = re.match(r"\w+", title)
    return match.group(0) if match else ""


def _section_span(body: str, words: set[str], ends: set[str]) -> tuple[int, int, int] | None:
    """(heading start, text start, end) of the first section whose heading's first word is one of
    `words`; it ends at the next heading of the same or a higher level, or at any heading whose
    first word is one of `ends`."""
    headings = list(_HEADING.finditer(body))
    for index, heading in enumerate(headings):
        if heading_word(heading.group(2)) in words:
            level = len(heading.group(1))
            end = next(
                (
                    h.start()
                    for h in headings[index + 1 :]
                    if len(h.group(1)) <= level or heading_word(h.group(2)) in ends
                ),
                len(body),
            )
            return heading.start(), heading.end(), end
    return None


def _others(words: set[str]) -> set[str]:
    """The words of the other startup sections: where a section found with `words` stops."""
    return set().union(*STARTUP_SECTIONS) - set(words)


def markdown_section(body: str, words: set[str]) -> str:
    """The text under the first heading whose first word is one of `words`, up to the next heading
    of the same or a higher level (or the heading of another of the STARTUP_SECTIONS)."""
    span = _section_span(body, words, _others(words))
    return body[span[1] : span[2]].strip() if span else ""


def markdown_without_sections(body: str, sections=STARTUP_SECTIONS) -> str:
    """The body without the sections `markdown_section` finds for each set of words (heading and
    text), so that a page showing those sections apart does not print them twice."""
    spans = sorted(span for words in sections if (span := _section_span(body, words, _others(words))))
    kept, position = [], 0
    for start, _text_start, end in spans:
        if start > position:
            kept.append(body[position:start])
        position = max(position, end)
    kept.append(body[position:])
    return re.sub(r"\n{3,}", "\n\n", "".join(kept)).strip()
