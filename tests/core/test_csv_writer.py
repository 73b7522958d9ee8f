"""The one CSV writer: every cell quoted, formulas neutralised in the cell and in every `;`/`,` fragment."""

import csv
import datetime
import io

import pytest

from core.csv import CsvWriter, csv_lines, neutralise

HOSTILE = "Mairie;=cmd|' /C calc'!A0;"


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        (HOSTILE, "Mairie;'=cmd|' /C calc'!A0;"),
        ("=1+1", "'=1+1"),
        ("+33 1 23", "'+33 1 23"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("\rRetour", "'\rRetour"),
        ('Ville, =HYPERLINK("http://x")', 'Ville,\' =HYPERLINK("http://x")'),
        ("a;b,+c;@d", "a;b,'+c;'@d"),
        ("Boulangerie Martin", "Boulangerie Martin"),
        ("1 = 1", "1 = 1"),
        ("", ""),
    ],
)
def test_every_fragment_that_starts_like_a_formula_is_neutralised(raw, safe):
    assert neutralise(raw) == safe


def test_the_writer_quotes_every_cell_and_keeps_numbers_and_dates():
    out = io.StringIO()
    writer = CsvWriter(out, lineterminator="\n")
    writer.writerow([HOSTILE, -5, None, datetime.date(2026, 1, 2), "texte"])
    assert out.getvalue() == '"Mairie;\'=cmd|\' /C calc\'!A0;","-5","","2026-01-02","texte"\n'
    # French Excel splits on ";": no fragment of the line starts with a formula character.
    for fragment in out.getvalue().strip().replace('"', "").replace(",", ";").split(";"):
        assert not fragment.lstrip(" ").startswith(("=", "+", "@")), fragment
    assert next(csv.reader(io.StringIO(out.getvalue())))[0] == "Mairie;'=cmd|' /C calc'!A0;"


def test_streamed_lines_are_the_writer_s_lines_one_row_at_a_time():
    rows = [["a", 1, None], ["=SUM(A1)", datetime.date(2026, 12, 1), "x;@y"]]
    buffer = io.StringIO()
    CsvWriter(buffer).writerows(rows)
    lines = csv_lines(iter(rows))
    assert next(lines) == '"a","1",""\r\n'  # the first line exists before the second row is read
    assert "".join(['"a","1",""\r\n', *lines]) == buffer.getvalue()
