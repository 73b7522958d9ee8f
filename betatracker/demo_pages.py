"""The main pages of each role in the demo (`manage.py demo`), with the demo account that sees each one.

Shared by the measures of the demo served as in production (scripts/demo_site.py: screenshots, Lighthouse)
and by the HTML validation of the rendered pages (tests/test_html_validate.py).
"""

from django.urls import reverse

from committees.enums import SessionStatus
from committees.models import CommitteeSession, Review
from investigations.models import Interview, Investigation
from products.models import Startup
from public.models import ResultsPublication

ROLES = ("coach", "intrapreneur", "committee", "staff", "team", "sponsor")


def main_pages() -> dict[str, tuple[str, str | None]]:
    """{name: (path, demo account key of products.demo.DEMO_ACCOUNTS, None when signed out)}."""
    startup = Startup.objects.get(slug="proconnect")
    investigation = Investigation.objects.filter(startup=startup).order_by("pk").first()
    interview = Interview.objects.filter(investigation=investigation).order_by("pk").first()
    session = CommitteeSession.objects.filter(status=SessionStatus.PLANNED).order_by("pk").first()
    review = Review.objects.filter(session=session, decision__isnull=True).order_by("pk").first()
    published = ResultsPublication.objects.published().order_by("pk").first()
    pages = {f"home-{role}": (reverse("dashboard:home"), role) for role in ROLES}
    pages |= {
        "startup": (reverse("products:startup_detail", args=[startup.slug]), "coach"),
        "synthesis": (reverse("investigations:synthesis", args=[investigation.pk]), "coach"),
        "investigation": (reverse("investigations:detail", args=[investigation.pk]), "coach"),
        "interview": (reverse("investigations:interview_detail", args=[interview.pk]), "coach"),
        "interview-form": (reverse("investigations:interview_new", args=[investigation.pk]), "coach"),
        "network": (reverse("dashboard:network"), "coach"),
        "timeline": (reverse("dashboard:timeline", args=[startup.slug]), "coach"),
        "session": (reverse("committees:session_detail", args=[session.pk]), "committee"),
        "review-pack": (reverse("committees:review_detail", args=[review.pk]), "committee"),
        "decision-form": (reverse("committees:decision_create", args=[review.pk]), "committee"),
        "public-startup": (reverse("public:startup", args=[startup.slug]), None),
        "sign-in": (reverse("login"), None),
    }
    if published is not None:
        pages["public-results"] = (reverse("public:investigation_results", args=[published.investigation_id]), None)
    return pages
