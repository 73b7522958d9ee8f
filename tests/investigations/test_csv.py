import csv
import datetime
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from investigations import csv_io
from investigations.csv_io import COLUMNS, ImportFileError, interviews_export, interviews_import
from investigations.models import Interview, InterviewImport, Quote, Tag

from .factories import InterviewFactory, InvestigationFactory, QuoteFactory, TagFactory, TargetGroupFactory, member

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
START = datetime.date(2024, 1, 1)


@pytest.fixture
def investigation():
    return InvestigationFactory(started_on=START, planned_end=START + datetime.timedelta(weeks=9))


def _import(investigation, name_or_bytes):
    content = name_or_bytes if isinstance(name_or_bytes, bytes) else (FIXTURES / name_or_bytes).read_bytes()
    return interviews_import(investigation=investigation, by=None, content=content)


def test_utf8_with_bom_and_commas_imports_every_row(investigation):
    report = _import(investigation, "interviews_bom_comma.csv")
    assert (report.imported, report.rejected) == (3, [])
    first = Interview.objects.get(interviewee="AGENT-01")
    assert first.date == datetime.date(2024, 1, 8)
    assert (first.organisation, first.headcount, first.channel, first.intensity) == (
        "Préfecture du Nord",
        250,
        "visio",
        3,
    )
    assert [quote.text for quote in first.quotes.all()] == ["Je tape tout deux fois."]
    assert first.notes == "Ressaisit chaque dossier, deux fois."
    assert Interview.objects.get(interviewee="AGENT-02").notes == "Notes sur\ndeux lignes"


def test_unknown_target_groups_are_created_once_whatever_the_case(investigation):
    report = _import(investigation, "interviews_bom_comma.csv")
    assert sorted(investigation.target_groups.values_list("name", flat=True)) == ["Agents", "Usagers"]
    assert sorted(report.groups_created) == ["Agents", "Usagers"]
    assert Interview.objects.filter(target_group__name="Agents").count() == 2


def test_tags_keep_the_first_spelling_and_fold_case(investigation):
    TagFactory(name="délais")
    _import(investigation, "interviews_bom_comma.csv")
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["Ressaisie", "délais"]
    assert Tag.objects.get(name="délais").interviews.count() == 2


def test_a_row_without_consent_keeps_no_notes_quotes_or_organisation(investigation):
    _import(investigation, "interviews_bom_comma.csv")
    no_consent = Interview.objects.get(interviewee="USAGER-01")
    assert (no_consent.consent, no_consent.notes, no_consent.intensity) == (False, "", 0)


def test_semicolons_french_dates_and_intensity_words_are_understood(investigation):
    report = _import(investigation, "interviews_semicolon.csv")
    assert (report.imported, report.rejected) == (4, [])
    by_name = {i.interviewee: i for i in Interview.objects.all()}
    assert by_name["AGENT-01"].date == datetime.date(2024, 1, 8)
    assert [by_name[n].intensity for n in ("AGENT-01", "USAGER-01", "USAGER-02", "USAGER-03")] == [3, 0, 2, 1]
    assert [by_name[n].consent for n in ("AGENT-01", "USAGER-01", "USAGER-02", "USAGER-03")] == [
        True,
        False,
        False,
        True,
    ]
    assert by_name["USAGER-03"].channel == "sur_place"


def test_a_latin1_file_is_refused_with_a_clear_message_and_nothing_imported(investigation):
    content = (FIXTURES / "interviews_semicolon.csv").read_text("utf-8").encode("latin-1")
    with pytest.raises(ImportFileError, match="n'est pas encodé en UTF-8"):
        _import(investigation, content)
    assert not Interview.objects.exists()
    assert not investigation.target_groups.exists()


def test_a_file_without_the_required_columns_is_refused(investigation):
    with pytest.raises(ImportFileError, match="obligatoire.*intensity"):
        _import(investigation, b"date,interviewee\n2024-01-08,A\n")


def test_each_bad_row_is_rejected_with_its_line_number_and_reason_and_good_rows_are_kept(investigation):
    report = _import(investigation, "interviews_bad_rows.csv")
    assert report.imported == 2
    reasons = dict(report.rejected)
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 9, 10]
    assert "date « 2024-13-45 » illisible" in reasons[3]
    assert "intensité « 4 » inconnue" in reasons[4]
    assert "consentement « peut-être »" in reasons[5]
    assert "effectif « deux cents »" in reasons[6]
    assert "canal « pigeon voyageur » inconnu" in reasons[7]
    assert "date manquante" in reasons[8]
    assert "5 cellules pour 7 colonnes" in reasons[9]
    assert "ne peut pas précéder le début" in reasons[10]
    assert sorted(Interview.objects.values_list("interviewee", flat=True)) == ["A-01", "A-10"]


def test_a_rejected_row_leaves_no_group_or_tag_behind(investigation):
    content = "date,target_group,intensity,tags\n2024-01-08,Fantômes,9,orpheline\n".encode()
    report = _import(investigation, content)
    assert report.rejected_count == 1
    assert not investigation.target_groups.exists()
    assert not Tag.objects.exists()


def test_a_thousand_rows_with_twenty_bad_ones_keep_the_nine_hundred_and_eighty(investigation):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["date", "interviewee", "target_group", "intensity", "tags", "consent", "notes"])
    bad_lines = []
    for n in range(1000):
        day = START + datetime.timedelta(days=n % 60)
        intensity = str(n % 4)
        if n % 50 == 7:  # 20 bad rows: an intensity out of the scale
            intensity = "7"
            bad_lines.append(n + 2)
        writer.writerow(
            [
                day.strftime("%d/%m/%Y"),
                f"P-{n:04d}",
                ["TPE", "PME", "ETI", "GE"][n % 4],
                intensity,
                "délais|Ressaisie",
                "oui" if n % 3 else "non",
                f"Notes {n}",
            ]
        )
    report = _import(investigation, out.getvalue().encode("utf-8"))
    assert report.imported == 980
    assert [line for line, _reason in report.rejected] == bad_lines
    assert Interview.objects.count() == 980
    assert Tag.objects.count() == 2


# --- The command ----------------------------------------------------------------------------------
def test_import_interviews_prints_counts_and_exits_1_when_a_row_is_rejected(investigation, capsys):
    with pytest.raises(CommandError) as raised:
        call_command("import_interviews", investigation.startup.slug, str(FIXTURES / "interviews_bad_rows.csv"))
    assert raised.value.returncode == 1
    assert "Entretiens importés : 2 ; lignes rejetées : 8." in str(raised.value)
    assert "ligne 9 : 5 cellules pour 7 colonnes" in capsys.readouterr().err


def test_import_interviews_succeeds_quietly_on_a_clean_file(investigation):
    out = io.StringIO()
    call_command(
        "import_interviews", investigation.startup.slug, str(FIXTURES / "interviews_semicolon.csv"), stdout=out
    )
    assert "Entretiens importés : 4 ; lignes rejetées : 0." in out.getvalue()


def test_import_interviews_needs_an_open_investigation():
    investigation = InvestigationFactory(status="suspendue")
    with pytest.raises(CommandError, match="n'a pas d'investigation en cours"):
        call_command("import_interviews", investigation.startup.slug, str(FIXTURES / "interviews_semicolon.csv"))


def test_import_interviews_names_an_unknown_startup():
    with pytest.raises(CommandError, match="Startup inconnue : « nulle-part »"):
        call_command("import_interviews", "nulle-part", str(FIXTURES / "interviews_semicolon.csv"))


# --- The upload page ------------------------------------------------------------------------------
def test_uploading_from_the_list_page_reports_imported_and_rejected_lines(client, investigation):
    client.force_login(member(investigation.startup))
    upload = SimpleUploadedFile("entretiens.csv", (FIXTURES / "interviews_bad_rows.csv").read_bytes(), "text/csv")
    response = client.post(
        reverse("investigations:interview_import", kwargs={"pk": investigation.pk}), {"file": upload}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "2 entretiens importés, 8 lignes rejetées" in page
    assert '<th scope="row">9</th>' in page


def test_uploading_a_latin1_file_says_so_and_imports_nothing(client, investigation):
    client.force_login(member(investigation.startup))
    content = (FIXTURES / "interviews_semicolon.csv").read_text("utf-8").encode("latin-1")
    response = client.post(
        reverse("investigations:interview_import", kwargs={"pk": investigation.pk}),
        {"file": SimpleUploadedFile("entretiens.csv", content, "text/csv")},
    )
    assert response.status_code == 400
    assert "pas encodé en UTF-8" in response.content.decode()
    assert not Interview.objects.exists()


def test_uploading_something_else_than_a_csv_is_refused(client, investigation):
    client.force_login(member(investigation.startup))
    response = client.post(
        reverse("investigations:interview_import", kwargs={"pk": investigation.pk}),
        {"file": SimpleUploadedFile("photo.png", b"\x89PNG\r\n", "image/png")},
    )
    assert response.status_code == 400
    assert "Seuls les fichiers CSV" in response.content.decode()


def test_an_upload_declared_over_the_limit_is_refused_before_it_is_read(client, investigation, monkeypatch):
    client.force_login(member(investigation.startup))
    read = []
    monkeypatch.setattr("investigations.views.ImportForm.is_valid", lambda form: read.append(form) or False)
    response = client.post(
        reverse("investigations:interview_import", kwargs={"pk": investigation.pk}),
        {"file": SimpleUploadedFile("gros.csv", b"date,intensity\n", "text/csv")},
        CONTENT_LENGTH=str(50 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "dépasse 5 Mo" in response.content.decode()
    assert read == []  # the body was never parsed into a form
    assert not Interview.objects.exists()


def test_uploading_more_than_five_megabytes_is_refused(client, investigation):
    client.force_login(member(investigation.startup))
    big = b"date,intensity\n" + b"2024-01-08,1\n" * (5 * 1024 * 1024 // 13 + 10)
    response = client.post(
        reverse("investigations:interview_import", kwargs={"pk": investigation.pk}),
        {"file": SimpleUploadedFile("gros.csv", big, "text/csv")},
    )
    assert response.status_code == 400
    assert "dépasse 5 Mo" in response.content.decode()
    assert not Interview.objects.exists()


# --- Export ---------------------------------------------------------------------------------------
def test_export_quotes_every_cell_and_neutralises_formulas_after_a_separator(client, investigation):
    InterviewFactory(investigation=investigation, organisation="Mairie;=cmd|' /C calc'!A0;", notes="ok, @SUM(A1)")
    client.force_login(member(investigation.startup))
    response = client.get(reverse("investigations:interview_export", kwargs={"pk": investigation.pk}))
    text = response.content.decode("utf-8-sig")
    assert all(line.startswith('"') for line in text.splitlines() if line)
    [row] = list(csv.DictReader(io.StringIO(text)))
    assert row["organisation"] == "Mairie;'=cmd|' /C calc'!A0;"
    assert row["notes"] == "ok,' @SUM(A1)"


def test_export_neutralises_cells_a_spreadsheet_would_run_as_formulas(client, investigation):
    interview = InterviewFactory(
        investigation=investigation,
        interviewee='=HYPERLINK("http://x")',
        organisation="+33 1 23",
        notes="-2+3",
        sector="@SUM(A1)",
        date=START,
    )
    QuoteFactory(interview=interview, text="=1+1")
    client.force_login(member(investigation.startup))
    response = client.get(reverse("investigations:interview_export", kwargs={"pk": investigation.pk}))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0]["interviewee"] == '\'=HYPERLINK("http://x")'
    assert rows[0]["organisation"] == "'+33 1 23"
    assert rows[0]["notes"] == "'-2+3"
    assert rows[0]["sector"] == "'@SUM(A1)"
    assert rows[0]["quote"] == "'=1+1"


def test_export_has_the_import_columns_and_reimports_identically(investigation):
    _import(investigation, "interviews_bom_comma.csv")
    out = io.StringIO()
    assert interviews_export(investigation, out) == 3
    assert out.getvalue().splitlines()[0] == ",".join(f'"{column}"' for column in COLUMNS)
    other = InvestigationFactory(started_on=START)
    report = interviews_import(investigation=other, by=None, content=out.getvalue().encode())
    assert report.imported == 3
    assert sorted(other.interviews.values_list("interviewee", "intensity", "consent", "target_group__name")) == sorted(
        investigation.interviews.values_list("interviewee", "intensity", "consent", "target_group__name")
    )
    assert Quote.objects.filter(interview__investigation=other).count() == 1
    assert TargetGroupFactory._meta.model.objects.filter(investigation=other).count() == 2


def test_the_upload_cap_follows_the_settings(client, investigation, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    client.force_login(member(investigation.startup))
    content = b"date,intensity\n" + b"2024-01-08,1\n" * (1024 * 1024 // 13 + 10)
    response = client.post(
        reverse("investigations:interview_import", kwargs={"pk": investigation.pk}),
        {"file": SimpleUploadedFile("moyen.csv", content, "text/csv")},
    )
    assert "Le fichier dépasse 1 Mo." in response.content.decode()
    assert not Interview.objects.exists()


def test_opening_the_import_address_directly_leads_back_to_the_interview_list(client, investigation):
    client.force_login(member(investigation.startup))
    response = client.get(reverse("investigations:interview_import", kwargs={"pk": investigation.pk}))
    assert response.status_code == 302
    assert response["Location"] == reverse("investigations:interview_list", kwargs={"pk": investigation.pk})


# --- Big files (issue 12, item 6) -----------------------------------------------------------------
def _rows_csv(count, bad_every=0):
    lines = ["date;interviewee;target_group;intensity;tags;consent;notes;quote"]
    for n in range(count):
        intensity = "9" if bad_every and n % bad_every == bad_every - 1 else str(n % 4)
        lines.append(f"{START + datetime.timedelta(days=n % 50)};P-{n};G{n % 3};{intensity};a|B;oui;Note {n};V {n}")
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("rows", [30, 300])
def test_an_import_takes_the_same_few_queries_whatever_its_size(investigation, django_assert_max_num_queries, rows):
    # A few bulk inserts, and the renewal of the cached reads of the startup and of the portfolio (core.versions:
    # each new target group is a write), whatever the row count.
    with django_assert_max_num_queries(64):
        report = _import(investigation, _rows_csv(rows))
    assert report.imported == rows
    assert Quote.objects.count() == rows
    assert Interview.tags.through.objects.count() == 2 * rows


def test_a_bulk_import_keeps_the_history_the_groups_and_the_rejected_lines(investigation):
    author = member(investigation.startup)
    report = interviews_import(investigation=investigation, by=author, content=_rows_csv(4500, bad_every=1000))
    assert report.imported == 4496
    assert [line for line, _reason in report.rejected] == [1001, 2001, 3001, 4001]
    assert sorted(report.groups_created) == ["G0", "G1", "G2"]
    interview = Interview.objects.get(interviewee="P-4499")
    assert interview.target_group.name == "G2"
    assert sorted(tag.name for tag in interview.tags.all()) == ["B", "a"]
    record = interview.history.get()
    assert (record.history_type, record.history_user, record.notes) == ("+", author, "Note 4499")
    assert not Interview.objects.filter(interviewee__in=["P-999", "P-1999"]).exists()


def test_the_command_imports_a_file_bigger_than_an_upload_may_be(investigation, settings, tmp_path):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    path = tmp_path / "gros.csv"
    path.write_bytes(_rows_csv(100))
    assert path.stat().st_size > 1024
    out = io.StringIO()
    call_command("import_interviews", investigation.startup.slug, str(path), stdout=out)
    assert "Entretiens importés : 100 ; lignes rejetées : 0." in out.getvalue()


def test_a_row_the_database_refuses_is_rejected_alone_and_leaves_nothing_behind(investigation, monkeypatch):
    """The bulk path (COPY on PostgreSQL, multi-row INSERT on SQLite) falls back to row by row when the
    database refuses a batch: the row at fault is named, the others are saved with their history."""
    build = csv_io.interview_build

    def build_with_a_hole(**kwargs):
        interview, tags, quotes = build(**kwargs)
        if interview.interviewee == "P-7":
            interview.date = None  # passes the row checks, refused by the NOT NULL column
        return interview, tags, quotes

    monkeypatch.setattr(csv_io, "interview_build", build_with_a_hole)
    report = interviews_import(investigation=investigation, by=None, content=_rows_csv(20))
    assert report.imported == 19
    assert [line for line, _reason in report.rejected] == [9]
    assert "refusée par la base de données" in report.rejected[0][1]
    assert not Interview.objects.filter(interviewee="P-7").exists()
    assert Interview.history.filter(interviewee="P-7").count() == 0
    assert Interview.objects.count() == Interview.history.count() == 19
    assert Quote.objects.count() == 19


# --- Too big for a request: imported in the background (issue 16, item 2) -------------------------------
def test_an_upload_with_more_rows_than_a_request_may_import_is_imported_in_the_background(
    client, investigation, settings
):
    settings.INTERVIEW_IMPORT_MAX_ROWS = 1000
    client.force_login(member(investigation.startup))
    response = client.post(
        reverse("investigations:interview_import", kwargs={"pk": investigation.pk}),
        {"file": SimpleUploadedFile("gros.csv", _rows_csv(1200, bad_every=500), "text/csv")},
    )
    job = InterviewImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("investigations:interview_import_status", kwargs={"pk": job.pk})
    # The test settings run tasks at once (the immediate backend): the worker's part is done.
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("max-age=0") or "no-store" in page["Cache-Control"]
    html = page.content.decode()
    assert "1\xa0198 entretiens importés, 2 lignes rejetées" in html
    assert "gros.csv" in html
    assert Interview.objects.filter(investigation=investigation).count() == 1198
    job.refresh_from_db()
    assert (job.status, [line for line, _reason in job.rejected]) == ("done", [501, 1001])
    assert bytes(job.content) == b""  # the file held interview notes: only its report is kept


def test_a_queued_import_shows_where_it_stands_and_runs_once(client, investigation):
    author = member(investigation.startup)
    job = csv_io.interviews_import_keep(investigation=investigation, by=author, content=_rows_csv(3), filename="a.csv")
    client.force_login(author)
    page = client.get(reverse("investigations:interview_import_status", kwargs={"pk": job.pk})).content.decode()
    assert "Import en file d&#x27;attente" in page or "Import en file d'attente" in page
    assert not Interview.objects.exists()
    assert csv_io.interviews_import_run(job=job).imported == 3
    assert csv_io.interviews_import_run(job=job).imported == 3  # a second run imports nothing more
    assert Interview.objects.count() == 3


def test_a_background_import_refused_as_a_whole_says_why(client, investigation):
    author = member(investigation.startup)
    job = csv_io.interviews_import_keep(
        investigation=investigation, by=author, content=b"date;foo\n2024-01-08;x\n", filename="b.csv"
    )
    csv_io.interviews_import_run(job=job)
    client.force_login(author)
    page = client.get(reverse("investigations:interview_import_status", kwargs={"pk": job.pk})).content.decode()
    assert "Le fichier n&#x27;a pas été importé" in page or "Le fichier n'a pas été importé" in page
    assert "Colonne obligatoire absente de l" in page


def test_only_contributors_of_the_investigation_see_an_import(client, investigation):
    job = csv_io.interviews_import_keep(
        investigation=investigation, by=member(investigation.startup), content=_rows_csv(1), filename="c.csv"
    )
    client.force_login(member(InvestigationFactory().startup))
    response = client.get(reverse("investigations:interview_import_status", kwargs={"pk": job.pk}))
    assert response.status_code in (403, 404)


def test_export_writes_the_import_vocabulary_and_a_second_round_trip_changes_nothing(investigation):
    group = TargetGroupFactory(investigation=investigation, name="Agents")
    for n, channel in enumerate(["visio", "telephone", "sur_place", ""]):
        interview = InterviewFactory(
            investigation=investigation,
            date=START + datetime.timedelta(days=n),
            interviewee=f"AGENT-{n}",
            target_group=group,
            organisation="Préfecture",
            headcount=15,
            sector="Association",
            channel=channel,
            intensity=n % 4,
            notes=f"Notes {n}",
            consent=True,
        )
        interview.tags.add(TagFactory(name=f"tag-{n}"))
        QuoteFactory(interview=interview, text=f"Verbatim {n}")
    first = io.StringIO()
    interviews_export(investigation, first)
    rows = list(csv.DictReader(io.StringIO(first.getvalue())))
    assert [row["channel"] for row in rows] == ["visio", "téléphone", "sur place", ""]
    assert [row["consent"] for row in rows] == ["oui"] * 4

    other = InvestigationFactory(started_on=START)
    report = interviews_import(investigation=other, by=None, content=first.getvalue().encode())
    assert (report.imported, report.rejected) == (4, [])
    fields = ("date", "interviewee", "organisation", "headcount", "sector", "channel", "intensity", "notes", "consent")
    assert list(other.interviews.order_by("date").values_list(*fields)) == list(
        investigation.interviews.order_by("date").values_list(*fields)
    )
    second = io.StringIO()
    interviews_export(other, second)
    assert second.getvalue() == first.getvalue()
