"""`manage.py export_betagouv OUT_DIR [--startup SLUG]` (issue "One lifecycle history…", item 3): the portfolio
written back in beta.gouv.fr's `content/` layout, each file keeping every key and the body it was imported with,
its phases and committee events as the app now knows them; importing the folder into an empty database gives
the same `export_portfolio`, the demo's startups included."""

import datetime
import io
import json
import shutil
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from committees.models import CommitteeSession, Decision, Review
from investigations.models import Investigation
from products.models import ImportRun, Incubator, Organisation, Startup, Theme
from tests.products.test_import_merge import go_to_construction

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
D = datetime.date


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def portfolio():
    return json.loads(run("export_portfolio"))


def empty_the_portfolio():
    """What an empty database holds of the portfolio: nothing (accounts stay, they are not in the files)."""
    Decision.objects.all().delete()
    Review.objects.all().delete()
    CommitteeSession.objects.all().delete()
    Investigation.objects.all().delete()
    Startup.objects.all().delete()
    Incubator.objects.all().delete()
    Organisation.objects.all().delete()
    Theme.objects.all().delete()
    ImportRun.objects.all().delete()


def front_matter(path):
    text = path.read_text(encoding="utf-8")
    _start, header, body = text.split("---\n", 2)
    return yaml.safe_load(header), body


@pytest.fixture
def content(tmp_path):
    folder = tmp_path / "content"
    shutil.copytree(FIXTURES / "betagouv", folder)
    return folder


def test_export_then_import_into_an_empty_database_gives_the_same_portfolio(content, tmp_path):
    run("demo")  # first: the demo refuses a database that holds startups it did not make
    run("import_betagouv", str(content))
    go_to_construction("en-cours", D(2025, 6, 2))
    before = portfolio()
    assert {row["slug"] for row in before} >= {"en-cours", "proconnect", "cantine-claire"}

    out = tmp_path / "out"
    printed = run("export_betagouv", str(out))
    empty_the_portfolio()
    run("import_betagouv", str(out))

    assert portfolio() == before
    assert f"_startups/ : {len(before)} fichiers" in printed


def test_an_imported_file_keeps_every_key_and_its_body_with_the_phases_the_app_knows(content, tmp_path):
    extra = "mon_service_securise: true\nune_cle_inconnue:\n  garde: [1, 2]\n"
    path = content / "_startups" / "en-cours.md"
    path.write_text(path.read_text(encoding="utf-8").replace("phases:\n", extra + "phases:\n", 1), "utf-8")
    original, original_body = front_matter(path)
    run("import_betagouv", str(content))
    go_to_construction("en-cours", D(2025, 6, 2))

    run("export_betagouv", str(tmp_path / "out"), "--startup", "en-cours")

    written, body = front_matter(tmp_path / "out" / "_startups" / "en-cours.md")
    assert list(written) == [*original, "events"]
    assert {key: written[key] for key in original if key != "phases"} == {
        key: value for key, value in original.items() if key != "phases"
    }
    assert written["phases"] == [
        {"name": "investigation", "start": D(2025, 2, 3)},
        {
            "name": "construction",
            "start": D(2025, 6, 2),
            "comment": "Décision du comité du 02/06/2025 : Passage en construction.",
        },
    ]
    assert written["events"] == [
        {"name": "committee", "date": D(2025, 6, 2), "comment": "Passage en construction : Le problème est avéré."}
    ]
    assert body == original_body
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["_startups"]


def test_an_unchanged_file_is_written_back_as_it_was_read(content, tmp_path):
    run("import_betagouv", str(content))

    run("export_betagouv", str(tmp_path / "out"))

    for name in ("en-cours.md", "abandon-rapide.md"):
        assert front_matter(tmp_path / "out" / "_startups" / name) == front_matter(content / "_startups" / name)
    # Events in date order, an unknown kind as the "other" the app keeps it as; everything else as it was.
    written, body = front_matter(tmp_path / "out" / "_startups" / "carnet.de.bord.fictif.md")
    original, original_body = front_matter(content / "_startups" / "carnet.de.bord.fictif.md")
    assert {key: value for key, value in written.items() if key != "events"} == {
        key: value for key, value in original.items() if key != "events"
    }
    assert [(e["date"], e["name"]) for e in written["events"]] == [
        (D(2021, 3, 5), "committee"),
        (D(2021, 6, 1), "product_launch"),
        (D(2021, 7, 1), "other"),
        (D(2021, 9, 10), "committee"),
    ]
    assert body == original_body


def test_exporting_an_unknown_startup_says_so(tmp_path):
    with pytest.raises(CommandError, match="Aucune startup n'a l'identifiant « inconnue »"):
        run("export_betagouv", str(tmp_path / "out"), "--startup", "inconnue")
