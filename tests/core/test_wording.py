"""One way to write a date: the language's named formats (betatracker/formats) and core/durations.py, never a
literal pattern a reader would see in one order on one page and in another order on the next. Machine dates
(CSV, JSON, ids, <time datetime>, <input type="date">) are ISO: |date:"c", .isoformat(), or a module constant.
Durations through core.durations.humanize_days / elapsed, never Django's timesince."""

import ast
import re
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
APPS = ["core", "products", "investigations", "committees", "portfolio", "public", "reminders", "betatracker"]
# A template date filter takes a named format, or "c" (ISO 8601, for machines) or "U" (a timestamp).
NAMED = re.compile(r"^(?:[A-Z_]+_FORMAT|c|U)$")
DATE_FILTER = re.compile(r"\|\s*(date|time)\s*:\s*([\"'])(.*?)\2")
NOW_TAG = re.compile(r"{%\s*now\s+([\"'])(.*?)\1")
FORBIDDEN_FILTERS = re.compile(r"\|\s*(timesince|timeuntil|naturaltime|naturalday)\b")
# The helper that is the one place a weekday pattern lives.
PATTERN_HOME = BASE_DIR / "core" / "durations.py"


def _templates() -> list[Path]:
    folders = [BASE_DIR / "templates", *(BASE_DIR / app / "templates" for app in APPS)]
    return [path for folder in folders if folder.is_dir() for path in folder.rglob("*.html")] + [
        path for folder in folders if folder.is_dir() for path in folder.rglob("*.txt")
    ]


def _python_files() -> list[Path]:
    return [
        path
        for app in APPS
        for path in (BASE_DIR / app).rglob("*.py")
        if "migrations" not in path.parts and "formats" not in path.parts
    ]


def template_problems(text: str) -> list[str]:
    problems = [
        f"|{kind}:{quote}{pattern}{quote}"
        for kind, quote, pattern in DATE_FILTER.findall(text)
        if not NAMED.match(pattern)
    ]
    problems += [f'{{% now "{pattern}" %}}' for _quote, pattern in NOW_TAG.findall(text) if not NAMED.match(pattern)]
    problems += [f"|{name}" for name in FORBIDDEN_FILTERS.findall(text)]
    return problems


def python_problems(source: str, *, pattern_home: bool = False) -> list[str]:
    """strftime(), f"{day:%d/%m/%Y}", date_format(day, "d/m/Y"), format="%H:%M" written in place: each a literal
    pattern. A pattern held by a module-level UPPER_CASE constant is a machine format, named, and allowed."""
    problems = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name == "strftime":
                problems.append(f"line {node.lineno}: strftime()")
            if name in {"date_format", "time_format"} and len(node.args) > 1:
                pattern = node.args[1]
                if isinstance(pattern, ast.Constant) and not NAMED.match(str(pattern.value)) and not pattern_home:
                    problems.append(f"line {node.lineno}: {name}(…, {pattern.value!r})")
            for keyword in node.keywords:
                if (
                    keyword.arg == "format"
                    and isinstance(keyword.value, ast.Constant)
                    and "%" in str(keyword.value.value)
                ):
                    problems.append(f"line {node.lineno}: format={keyword.value.value!r}")
        if isinstance(node, ast.FormattedValue) and isinstance(node.format_spec, ast.JoinedStr):
            spec = "".join(str(part.value) for part in node.format_spec.values if isinstance(part, ast.Constant))
            if "%" in spec:
                problems.append(f"line {node.lineno}: f-string date pattern {spec!r}")
    return problems


def test_the_scans_catch_each_kind_of_literal_pattern():
    assert template_problems("{{ d|date:\"d/m/Y\" }} {{ t|time:'H\\hi' }} {{ d|timesince:today }}") == [
        '|date:"d/m/Y"',
        "|time:'H\\hi'",
        "|timesince",
    ]
    assert template_problems('{{ d|date:"SHORT_DATE_FORMAT" }} <time datetime="{{ d|date:\'c\' }}">') == []
    assert len(python_problems('x = f"{day:%d/%m/%Y}"\ny = day.strftime("%Y")\nz = date_format(day, "j F")')) == 3
    assert python_problems('w = TimeInput(format="%H:%M")') == ["line 1: format='%H:%M'"]
    assert python_problems('FORMAT = "%H:%M"\nw = TimeInput(format=FORMAT)\nd = date_format(day, "DATE_FORMAT")') == []


def test_templates_write_dates_only_in_the_named_formats_of_the_language():
    problems = {
        str(path.relative_to(BASE_DIR)): found
        for path in _templates()
        if (found := template_problems(path.read_text(encoding="utf-8")))
    }
    assert problems == {}, 'Use |date:"SHORT_DATE_FORMAT", "DATE_FORMAT", "SHORT_DATETIME_FORMAT"… or core\'s filters.'


def test_python_writes_dates_through_core_durations_and_machine_formats_are_named_constants():
    problems = {
        str(path.relative_to(BASE_DIR)): found
        for path in _python_files()
        if (found := python_problems(path.read_text(encoding="utf-8"), pattern_home=path == PATTERN_HOME))
    }
    assert problems == {}, "Use core.durations.short_date / long_date / short_datetime…, or .isoformat() for machines."


def test_each_language_has_one_short_and_one_long_date_format():
    from django.utils import formats, translation

    assert settings.FORMAT_MODULE_PATH == ["betatracker.formats"]
    with translation.override("fr"):
        assert [formats.get_format(name) for name in ("SHORT_DATE_FORMAT", "DATE_FORMAT")] == ["d/m/Y", "j F Y"]
    with translation.override("en"):
        assert [formats.get_format(name) for name in ("SHORT_DATE_FORMAT", "DATE_FORMAT")] == ["m/d/Y", "N j, Y"]
        # Input formats still come from Django's locale.
        assert "%m/%d/%Y" in formats.get_format("DATE_INPUT_FORMATS")


def test_counts_are_pluralised_not_written_with_an_s_in_brackets():
    """« 8 entretien(s) » reads as a form, not as a sentence: ngettext / {% blocktranslate count %} instead."""
    from tests.betatracker.test_i18n import PO_FILE, read_po

    bracketed = re.compile(r"\w\((?:s|es|x)\)")
    in_templates = [str(path.relative_to(BASE_DIR)) for path in _templates() if bracketed.search(path.read_text())]
    in_messages = [entry.msgid for entry in read_po(PO_FILE) if bracketed.search(" ".join(entry.sources))]
    assert (in_templates, in_messages) == ([], [])


TRANSLATED_OR_COMMENT = re.compile(
    r"{%\s*blocktranslate\b.*?{%\s*endblocktranslate\s*%}|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}", re.S
)
# A French separator written after a tag or a value, outside any translated text, shows on English pages too.
LITERAL_SEPARATOR = re.compile(r"(?:%}|}})\s?[:;?!](?:\s|<|$)")


def test_templates_write_separators_through_the_catalogue():
    """« Motif : … » is French; English reads "Reason: …": {% colon %} / {% semicolon %} (core wording tags)."""
    problems = {
        str(path.relative_to(BASE_DIR)): LITERAL_SEPARATOR.findall(text)
        for path in _templates()
        if LITERAL_SEPARATOR.search(text := TRANSLATED_OR_COMMENT.sub("", path.read_text(encoding="utf-8")))
    }
    assert problems == {}
