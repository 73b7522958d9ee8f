"""The interview CSV import, fuzzed with hypothesis: wrong encodings, byte order marks, both delimiters,
ragged rows, huge cells, blank lines and arbitrary bytes.

The generated files mix good rows (which must all land) and bad rows, each with one defect (which must
each be rejected, with its own line number, leaving nothing behind: no interview, no target group, no
tag). A file refused as a whole (not UTF-8, UTF-16…) leaves the investigation exactly as it was.
"""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from investigations.csv_io import ImportFileError, interviews_import
from investigations.models import Interview, Quote, Tag

from .factories import InvestigationFactory, member

pytestmark = pytest.mark.django_db

START = datetime.date(2024, 1, 1)
fuzz = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Text a person types in a spreadsheet: accents, quotes, both delimiters, line breaks inside a cell.
TYPED = st.text(
    alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyz ABCXYZ0123456789éèçàôùÉ'\",;.:!?-\n")), max_size=40
)
HEADER = ["date", "interviewee", "target_group", "intensity", "tags", "consent", "notes", "quote"]
DEFECTS = [
    "too few cells",
    "too many cells",
    "unreadable date",
    "date before the investigation",
    "unknown intensity",
    "interviewee over 150 characters",
    "unknown consent",
]


@st.composite
def good_rows(draw):
    return {
        "date": draw(st.sampled_from([START.isoformat(), "15/01/2024", "2024-02-20"])),
        "interviewee": draw(TYPED.map(lambda s: s.strip()[:150])),
        "target_group": draw(st.sampled_from(["", "Agents", "agents", "  Usagers  "])),
        "intensity": draw(st.sampled_from(["0", "1", "2", "3", "Faible", "critique", " modéré "])),
        "tags": draw(st.sampled_from(["", "délais", "Délais|ressaisie", "ressaisie | | attente"])),
        "consent": draw(st.sampled_from(["oui", "non", "", "1", "yes"])),
        # A huge cell where the model takes any length: the notes.
        "notes": draw(st.one_of(TYPED, st.integers(10_000, 400_000).map(lambda n: "long " * (n // 5)))),
        "quote": draw(TYPED),
    }


@st.composite
def a_file(draw):
    """(bytes, encoding, rows) where rows are (good row dict | defect name, cells)."""
    rows = []
    for n in range(draw(st.integers(0, 12))):
        cells = draw(good_rows())
        defect = draw(st.one_of(st.none(), st.sampled_from(DEFECTS)))
        # Whatever a bad row names must not survive its rejection: a group and a tag of its own.
        if defect:
            cells["target_group"] = f"Rejeté {n}"
            cells["tags"] = f"rejeté-{n}"
        values = [cells[column] for column in HEADER]
        if defect == "too few cells":
            values = values[: draw(st.integers(1, len(HEADER) - 1))]
        elif defect == "too many cells":
            values += ["en trop"] * draw(st.integers(1, 3))
        elif defect == "unreadable date":
            values[0] = draw(st.sampled_from(["31/02/2024", "hier", "2024-13-01", "01-15-2024"]))
        elif defect == "date before the investigation":
            values[0] = "2023-12-31"
        elif defect == "unknown intensity":
            values[3] = draw(st.sampled_from(["4", "-1", "très fort", "2.5"]))
        elif defect == "interviewee over 150 characters":
            values[1] = "x" * draw(st.integers(151, 100_000))
        elif defect == "unknown consent":
            values[5] = "peut-être"
        rows.append((defect or cells, values))
    delimiter = draw(st.sampled_from([",", ";"]))
    terminator = draw(st.sampled_from(["\r\n", "\n"]))
    blank_lines = draw(st.lists(st.booleans(), min_size=len(rows), max_size=len(rows)))
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, lineterminator=terminator).writerow(HEADER)
    line, records = 2, []
    for (kind, values), blank in zip(rows, blank_lines, strict=True):
        if blank:
            out.write(terminator)
            line += 1
        record = io.StringIO(newline="")
        csv.writer(record, delimiter=delimiter, lineterminator=terminator).writerow(values)
        text = record.getvalue()
        out.write(text)
        records.append((line, kind))
        line += text.count("\n") or 1
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "cp1252", "utf-16"]))
    content = out.getvalue().encode(encoding)
    return content, encoding, records, out.getvalue()


def _nothing_of(investigation, tags_before):
    assert not Interview.objects.filter(investigation=investigation).exists()
    assert not investigation.target_groups.exists()
    assert Tag.objects.count() == tags_before


@fuzz
@given(generated=a_file())
def test_generated_files_keep_every_good_row_and_reject_every_bad_one_with_its_line(generated):
    content, encoding, records, text = generated
    investigation = InvestigationFactory(started_on=START, planned_end=START + datetime.timedelta(weeks=9))
    tags_before = Tag.objects.count()
    refused = encoding == "utf-16" or (encoding in ("latin-1", "cp1252") and not text.isascii())
    try:
        report = interviews_import(investigation=investigation, by=None, content=content)
    except ImportFileError as error:
        assert refused, f"a readable {encoding} file was refused: {error}"
        assert "UTF-8" in str(error) or "octets nuls" in str(error)
        _nothing_of(investigation, tags_before)
        return
    assert not refused, f"a {encoding} file with accents was read as UTF-8"

    good = [kind for _line, kind in records if isinstance(kind, dict)]
    bad_lines = [line for line, kind in records if isinstance(kind, str)]
    assert report.imported == len(good)
    assert [line for line, _reason in report.rejected] == bad_lines
    assert all(reason.strip() for _line, reason in report.rejected)
    interviews = Interview.objects.filter(investigation=investigation)
    assert interviews.count() == len(good)
    # Nothing of a rejected row is left: its own group and tag were rolled back with it.
    assert not investigation.target_groups.filter(name__startswith="Rejeté").exists()
    assert not Tag.objects.filter(name__startswith="rejeté-").exists()
    # What the good rows carried landed: their groups (merged whatever the case) and their quotes.
    groups = {row["target_group"].strip().casefold() for row in good} - {""}
    assert {name.casefold() for name in investigation.target_groups.values_list("name", flat=True)} == groups
    with_quotes = [
        row
        for row in good
        if row["consent"] in ("oui", "1", "yes") and any(q.strip() for q in row["quote"].split("\n"))
    ]
    assert Quote.objects.filter(interview__investigation=investigation).exists() == bool(with_quotes)
    if any(len(row["notes"]) > 10_000 and row["consent"] in ("oui", "1", "yes") for row in good):
        assert max(len(n) for n in interviews.values_list("notes", flat=True)) > 10_000


@fuzz
@given(
    prefix=st.sampled_from([b"", b"\xef\xbb\xbf", b"date,intensity\n", b"\xef\xbb\xbfdate;intensity;tags\r\n"]),
    body=st.binary(max_size=2_000),
)
def test_arbitrary_bytes_are_refused_as_a_whole_or_imported_row_by_row_never_half(prefix, body):
    investigation = InvestigationFactory(started_on=START, planned_end=START + datetime.timedelta(weeks=9))
    tags_before = Tag.objects.count()
    try:
        report = interviews_import(investigation=investigation, by=None, content=prefix + body)
    except ImportFileError as error:
        assert str(error).strip()
        _nothing_of(investigation, tags_before)
        return
    assert Interview.objects.filter(investigation=investigation).count() == report.imported
    assert all(line >= 2 and reason.strip() for line, reason in report.rejected)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.sampled_from(
        ["entretiens.csv", "entretiens.CSV", "entretiens.txt", "photo.png", "sans-extension", "a.csv.exe"]
    ),
    kind=st.sampled_from(
        ["text/csv", "application/vnd.ms-excel", "text/plain", "image/png", "application/octet-stream"]
    ),
    content=st.one_of(st.binary(max_size=500), a_file().map(lambda generated: generated[0])),
)
def test_any_upload_gets_a_page_with_a_message_never_an_error(client, name, kind, content):
    investigation = InvestigationFactory(started_on=START, planned_end=START + datetime.timedelta(weeks=9))
    client.force_login(member(investigation.startup))
    response = client.post(
        reverse("investigations:interview_import", kwargs={"pk": investigation.pk}),
        {"file": SimpleUploadedFile(name, content, kind)},
    )
    assert response.status_code in (200, 400)
    page = response.content.decode()
    if response.status_code == 400:
        assert "fr-error-text" in page or "fr-alert--error" in page
        assert not Interview.objects.filter(investigation=investigation).exists()
