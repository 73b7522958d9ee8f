"""Documents attached to a review: size and type checked (extension and content), names sanitised, stored through
the storage API, downloaded only by those who read the review, listed in the pack and the minutes, immutable once
the session is closed."""

import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from committees import demo, services
from committees.enums import Outcome
from committees.models import ReviewDocument
from products.enums import MembershipRole
from tests.products.factories import MembershipFactory, StartupFactory, UserFactory

from .factories import CommitteeSessionFactory, DecisionFactory, ReviewFactory
from .utils import page_text

pytestmark = pytest.mark.django_db

PDF = demo.minimal_pdf(["Support de presentation"])


@pytest.fixture(autouse=True)
def tmp_storage(settings, tmp_path):
    """Files on disk under a temporary MEDIA_ROOT, as in production without an object store."""
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return tmp_path


@pytest.fixture
def review(session, make_startup, on_agenda):
    (review,) = on_agenda(make_startup("Alpha"))
    return review


@pytest.fixture
def intrapreneur(review):
    return review.startup.memberships.get(role=MembershipRole.INTRAPRENEUR).user


def upload(name="support.pdf", content=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type)


def attach(review, by, name="support.pdf", content=PDF, title=""):
    return services.document_attach(review=review, file=ContentFile(content, name=name), title=title, by=by)


def docx_bytes(folder="word/") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}document.xml", "<document/>")
    return buffer.getvalue()


def odt_bytes(mimetype="application/vnd.oasis.opendocument.text") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def post_document(client, review, file, title=""):
    return client.post(reverse("committees:review_documents", args=[review.pk]), {"file": file, "title": title})


# --- Attaching ------------------------------------------------------------------------------------
def test_the_team_attaches_a_pdf_and_finds_it_in_the_review_pack(client, review, intrapreneur, tmp_storage):
    client.force_login(intrapreneur)
    response = post_document(client, review, upload("Support comité.pdf"), title="Support de présentation")
    assert response.status_code == 302
    assert response["Location"].endswith(reverse("committees:review_detail", args=[review.pk]) + "#documents")
    document = ReviewDocument.objects.get()
    assert (document.review, document.uploaded_by, document.title) == (review, intrapreneur, "Support de présentation")
    assert document.original_name == "Support comité.pdf"
    assert document.size == len(PDF)
    assert document.file.name.startswith(f"committees/reviews/{review.pk}/")
    assert (tmp_storage / document.file.name).read_bytes() == PDF
    page = page_text(client.get(reverse("committees:review_detail", args=[review.pk])))
    assert "Support de présentation" in page
    assert reverse("committees:document_download", args=[document.pk]) in page
    assert document.history.get().history_user == intrapreneur


@pytest.mark.parametrize(
    "name, content",
    [
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20),
        ("photo.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 20),
        ("compte-rendu.docx", docx_bytes()),
        ("budget.xlsx", docx_bytes("xl/")),
        ("note.odt", odt_bytes()),
        ("mesures.csv", b"date;valeur\n2026-01-05;1 200\n"),
        ("notes.txt", "Réunion du comité : élément à suivre.\n".encode("cp1252")),
    ],
)
def test_images_office_documents_and_text_files_are_accepted(review, member, name, content):
    document = attach(review, member, name=name, content=content)
    assert document.original_name == name


def test_a_file_over_the_size_limit_is_refused_naming_the_limit(client, review, intrapreneur, settings):
    settings.COMMITTEE_DOCUMENT_MAX_BYTES = 1024
    client.force_login(intrapreneur)
    response = post_document(client, review, upload(content=PDF + b" " * 2048))
    assert response.status_code == 400
    assert "un document ne peut dépasser 1,0\xa0Kio" in page_text(response)
    assert not ReviewDocument.objects.exists()


def test_an_upload_declared_over_the_limit_is_refused_before_it_is_read(client, review, intrapreneur, monkeypatch):
    client.force_login(intrapreneur)
    read = []
    monkeypatch.setattr("committees.views.DocumentForm.is_valid", lambda form: read.append(form) or False)
    response = client.post(
        reverse("committees:review_documents", args=[review.pk]),
        {"file": upload()},
        CONTENT_LENGTH=str(50 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "L'envoi dépasse 10 Mo : il est refusé sans être lu." in page_text(response)
    assert read == []


def test_a_document_larger_than_other_uploads_may_be_is_accepted(client, review, intrapreneur, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # the interview CSV's limit: not the documents'
    client.force_login(intrapreneur)
    response = post_document(client, review, upload(content=PDF + b" " * 100_000))
    assert response.status_code == 302
    assert ReviewDocument.objects.get().size == len(PDF) + 100_000


def test_a_type_not_accepted_is_refused_naming_the_accepted_types(client, review, intrapreneur):
    client.force_login(intrapreneur)
    response = post_document(client, review, upload("outil.exe", b"MZ\x90\x00", "application/octet-stream"))
    assert response.status_code == 400
    page = page_text(response)
    assert "Ce type de fichier n'est pas accepté." in page
    assert "PDF, PNG, JPEG, ODT, ODS, ODP, DOCX, XLSX, PPTX, CSV, TXT" in page
    assert not ReviewDocument.objects.exists()


@pytest.mark.parametrize(
    "name, content",
    [
        ("faux.pdf", b"<html><script>alert(1)</script></html>"),
        ("faux.png", PDF),
        ("faux.docx", b"PK\x03\x04 not really a zip archive"),
        ("faux.odt", docx_bytes()),
        ("faux.xlsx", docx_bytes("word/")),
        ("faux.txt", b"\x7fELF\x02\x01\x01\x00\x00\x00"),
    ],
)
def test_a_file_whose_content_is_not_what_its_extension_says_is_refused(review, member, name, content):
    with pytest.raises(ValidationError) as refused:
        attach(review, member, name=name, content=content)
    assert "Le contenu du fichier ne correspond pas à son extension" in refused.value.messages[0]
    assert not ReviewDocument.objects.exists()


def test_a_pdf_whose_content_is_not_a_pdf_is_refused_on_the_page(client, review, intrapreneur, tmp_storage):
    client.force_login(intrapreneur)
    response = post_document(client, review, upload("rapport.pdf", b"<html></html>"))
    assert response.status_code == 400
    assert "ne correspond pas à son extension (.pdf)" in page_text(response)
    assert not any(tmp_storage.rglob("*.pdf"))


def test_the_stored_name_is_sanitised_behind_a_random_prefix(review, member, tmp_storage):
    document = attach(review, member, name="../../etc/passwd.pdf")
    assert document.original_name == "passwd.pdf"
    assert re.fullmatch(rf"committees/reviews/{review.pk}/[0-9a-f]{{16}}-passwd\.pdf", document.file.name)
    assert [path.name for path in tmp_storage.rglob("*") if path.is_file()] == [document.file.name.rsplit("/")[-1]]
    other = attach(review, member, name="..\\..\\Rapport final (v2).pdf")
    assert other.original_name == "Rapport final (v2).pdf"
    assert other.file.name.endswith("-Rapport_final_v2.pdf")
    assert other.file.name != document.file.name


# --- Downloading ----------------------------------------------------------------------------------
def test_a_reader_of_the_review_downloads_it_under_its_original_name(client, review, member):
    document = attach(review, member, name="Support comité.pdf")
    client.force_login(member)
    response = client.get(reverse("committees:document_download", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''Support%20comit%C3%A9.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_an_outsider_and_a_person_of_another_startup_cannot_download_it(client, review, member, incubator):
    document = attach(review, member)
    url = reverse("committees:document_download", args=[document.pk])
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    other = MembershipFactory(startup=StartupFactory(incubator=incubator), role=MembershipRole.INTRAPRENEUR).user
    client.force_login(other)
    assert client.get(url).status_code == 404


def test_a_sponsor_contact_reads_the_documents_but_may_not_attach_any(client, review, member):
    document = attach(review, member)
    sponsor = MembershipFactory(startup=review.startup, role=MembershipRole.SPONSOR_CONTACT).user
    client.force_login(sponsor)
    assert client.get(reverse("committees:document_download", args=[document.pk])).status_code == 200
    assert post_document(client, review, upload()).status_code == 403
    assert client.post(reverse("committees:document_remove", args=[document.pk])).status_code == 403


def test_the_files_are_not_served_from_a_media_address(client, review, member):
    document = attach(review, member)
    client.force_login(member)
    assert client.get("/media/" + document.file.name).status_code == 404


# --- Removing, and a closed session ---------------------------------------------------------------
def test_a_document_is_removed_with_its_file_while_the_session_is_open(
    client, review, intrapreneur, tmp_storage, django_capture_on_commit_callbacks
):
    document = attach(review, intrapreneur)
    client.force_login(intrapreneur)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("committees:document_remove", args=[document.pk]))
    assert response.status_code == 302
    assert not ReviewDocument.objects.exists()
    assert not (tmp_storage / document.file.name).exists()
    assert ReviewDocument.history.filter(history_type="-", history_user=intrapreneur).exists()


def test_no_document_is_removed_or_attached_once_the_session_is_closed(client, review, member, session):
    document = attach(review, member)
    DecisionFactory(review=review, outcome=Outcome.POURSUITE)
    services.session_close(session=session, by=member)
    message = "Cette séance est close : ses documents ne peuvent plus être ajoutés ni retirés."
    with pytest.raises(ValidationError, match=message):
        services.document_remove(document=document, by=member)
    with pytest.raises(ValidationError, match=message):
        attach(review, member, name="autre.pdf")
    client.force_login(member)
    response = client.post(reverse("committees:document_remove", args=[document.pk]), follow=True)
    assert message in page_text(response)
    assert ReviewDocument.objects.count() == 1
    assert message in page_text(post_document(client, review, upload("autre.pdf")))
    assert ReviewDocument.objects.count() == 1
    assert client.get(reverse("committees:document_download", args=[document.pk])).status_code == 200


def test_an_imported_review_takes_no_document(member):
    review = ReviewFactory(session=None, startup=StartupFactory())
    with pytest.raises(ValidationError, match="historique importé|aucune séance"):
        attach(review, member)


# --- Lists ----------------------------------------------------------------------------------------
def test_the_documents_are_listed_in_the_minutes_with_their_links(client, review, member, session):
    document = attach(review, member, title="Tableau budgétaire")
    DecisionFactory(review=review, outcome=Outcome.POURSUITE)
    client.force_login(member)
    page = page_text(client.get(reverse("committees:session_minutes", args=[session.pk])))
    assert "Tableau budgétaire" in page
    assert reverse("committees:document_download", args=[document.pk]) in page


def test_the_review_pack_makes_the_same_queries_with_one_or_five_documents(
    client, review, member, session, snapshot_queries
):
    attach(review, member, name="un.pdf")
    client.force_login(member)
    url = reverse("committees:review_detail", args=[review.pk])
    assert snapshot_queries(lambda: client.get(url)).status_code == 200
    for n in range(4):
        attach(review, UserFactory(), name=f"document-{n}.pdf", title=f"Pièce {n}")
    response = snapshot_queries(lambda: client.get(url))
    assert page_text(response).count("documents joints") == 1
    assert "5 documents joints" in page_text(response)


def test_the_minutes_make_the_same_queries_with_one_or_five_documents(client, member, incubator, snapshot_queries):
    session = CommitteeSessionFactory(incubator=incubator, members=[member])
    reviews = [ReviewFactory(session=session) for _ in range(2)]
    for review in reviews:
        DecisionFactory(review=review, outcome=Outcome.POURSUITE)
    attach(reviews[0], member)
    client.force_login(member)
    url = reverse("committees:session_minutes", args=[session.pk])
    assert snapshot_queries(lambda: client.get(url)).status_code == 200
    for n in range(4):
        attach(reviews[n % 2], UserFactory(), name=f"document-{n}.pdf")
    assert snapshot_queries(lambda: client.get(url)).status_code == 200


def test_the_demo_attaches_a_valid_pdf_to_the_review_pack(member, review):
    pdf = demo.minimal_pdf(["Ligne (une)", "Ligne deux"])
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    xref = int(pdf.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert pdf[xref:].startswith(b"xref")
    offsets = [int(line[:10]) for line in pdf[xref:].split(b"\n")[3:8]]
    assert [pdf[offset:].split(b"\n")[0] for offset in offsets] == [b"%d 0 obj" % n for n in range(1, 6)]
    demo._demo_document(review, member)
    assert ReviewDocument.objects.get().title == "Support de présentation"
