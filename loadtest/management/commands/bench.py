"""python manage.py bench — time the dashboards against Django admin's changelist, on the same data.

Each page is requested once to count its queries (and check it answers 200), then every page in
turn, `--repeat` rounds, to measure: median and 95th percentile of the time to answer, each median as a
multiple of the admin changelist's (`× admin`), and the size of the answer. The network-wide CSV export
is also measured for the memory it takes: the peak of Python allocations while one export is streamed
(`tracemalloc`), and the process's peak RSS at the end.
`--cold` renews, before each measured request, what a write on the measured startup renews (its token, the
"portfolio" and "network" topics: core.versions): what a page costs when it computes afresh, next to the default,
where the pages read what the cache keeps.
`--profile` prints, for the default dashboard and the startup page, the functions that took the most time
over `--repeat` requests (cProfile, own time).
Settings are those of a deployment for the run (DEBUG off, plain static files storage).
"""

import cProfile
import importlib
import io
import json
import pstats
import resource
import statistics
import sys
import time
import tracemalloc

from django.conf import settings
from django.contrib import admin as django_admin
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import NoReverseMatch, clear_url_caches, reverse

from committees.models import Decision
from core import versions
from investigations.models import Interview, Investigation
from products.enums import MembershipRole
from products.models import Membership, Startup, User

BENCH_ADMIN = "bench-admin@betatracker.invalid"


def _nearest_rank(values, fraction):
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))]


class Command(BaseCommand):
    help = "Mesure les tableaux de bord (requêtes, temps médian et p95, octets) à côté de la liste de l'admin Django."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=20, help="requêtes mesurées par page (défaut : 20)")
        parser.add_argument(
            "--json", dest="json_path", default=None, help="écrit aussi les résultats dans ce fichier JSON"
        )
        parser.add_argument(
            "--coach", default=None, help="adresse du coach à mesurer (défaut : celui qui suit le plus de startups)"
        )
        parser.add_argument(
            "--cold",
            action="store_true",
            help="avant chaque requête mesurée, renouvelle ce qu'une écriture sur la startup mesurée renouvelle "
            "(core.versions) : le coût d'une page qui recalcule",
        )
        parser.add_argument(
            "--profile",
            action="store_true",
            help="affiche les fonctions les plus coûteuses du tableau de bord et de la fiche startup (cProfile)",
        )

    def handle(self, *args, repeat, json_path, coach, profile=False, cold=False, **options):
        if repeat < 1:
            raise CommandError("--repeat doit valoir au moins 1.")
        if not Startup.objects.exists():
            raise CommandError("Aucune startup : lancez d'abord « manage.py generate_portfolio --startups N ».")
        admin, _created = User.objects.get_or_create(
            email=BENCH_ADMIN, defaults={"full_name": "Administrateur du banc d'essai", "is_staff": True}
        )
        if not (admin.is_superuser and admin.is_staff):
            admin.is_superuser = admin.is_staff = True
            admin.save(update_fields=["is_superuser", "is_staff"])
        if not django_admin.site.is_registered(Startup):
            django_admin.site.register(Startup)
            # The admin's URLs were listed when the URLconf was read: read it again.
            if settings.ROOT_URLCONF in sys.modules:
                importlib.reload(sys.modules[settings.ROOT_URLCONF])
            clear_url_caches()
            self.stdout.write("Startup n'est pas inscrite dans l'admin : mesure avec un ModelAdmin par défaut.")
        coach_user = self._coach(coach)
        pages = self._pages(coach_user)
        host = "testserver" if "testserver" in settings.ALLOWED_HOSTS else "localhost"
        clients = {}
        for label, user in (("admin", admin), ("coach", coach_user)):
            if user is None:
                continue
            client = Client(HTTP_HOST=host)
            client.force_login(user)
            clients[label] = client
        production_like = override_settings(
            DEBUG=False,
            ALLOWED_HOSTS=[host],
            STORAGES={
                **settings.STORAGES,
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            },
        )
        measured = []
        for name, who, url in pages:
            if url is None:
                self.stdout.write(f"— {name} : ignorée ({who})")
            elif who not in clients:
                self.stdout.write(f"— {name} : ignorée (aucun coach dans la base)")
            else:
                measured.append((name, who, url))
        with production_like:
            results = [self._first(clients[who], name, who, url) for name, who, url in measured]
            # Round after round over every page, so that a busy moment of the machine weighs on all
            # pages alike rather than on the one measured at that moment.
            for _ in range(repeat):
                for result, (_name, who, url) in zip(results, measured, strict=True):
                    if cold:  # as after a write on the measured startup (its rows, the network's)
                        versions.touch(startups=[self.startup.pk], topics=["network"])
                    result["timings"].append(self._time(clients[who], url))
        for result in results:
            timings = result.pop("timings")
            result["median_ms"] = round(statistics.median(timings), 1)
            result["p95_ms"] = round(_nearest_rank(timings, 0.95), 1)
        admin_median = next((r["median_ms"] for r in results if r["url"] == self.admin_url), None)
        for result in results:
            result["x_admin"] = round(result["median_ms"] / admin_median, 2) if admin_median else None
        memory = self._export_memory(clients["admin"], production_like)
        self._print(results, repeat, memory, cold)
        if profile:
            with production_like:
                self._profile(clients, measured, repeat)
        if json_path:
            payload = {
                "database": connection.vendor,
                "startups": Startup.objects.count(),
                "interviews": Interview.objects.count(),
                "decisions": Decision.objects.count(),
                "repeat": repeat,
                "pages": results,
                "export_memory": memory,
            }
            with open(json_path, "w", encoding="utf-8") as fh:
                json.dump(payload, fh, ensure_ascii=False, indent=2)
            self.stdout.write(f"Résultats écrits dans {json_path}")

    def _coach(self, email):
        if email:
            user = User.objects.filter(email=email).first()
            if user is None:
                raise CommandError(f"Aucun utilisateur « {email} ».")
            return user
        coach = (
            Membership.objects.current()
            .with_role(MembershipRole.COACH)
            .values("user_id")
            .annotate(n=Count("pk"))
            .order_by("-n", "user_id")
            .first()
        )
        return User.objects.get(pk=coach["user_id"]) if coach else None

    def _pages(self, coach_user):
        busiest = (
            Investigation.objects.annotate(n=Count("interviews")).order_by("-n", "pk").select_related("startup").first()
        )
        startup = self.startup = busiest.startup if busiest else Startup.objects.order_by("pk").first()
        try:
            synthesis = reverse("investigations:synthesis", kwargs={"pk": busiest.pk}) if busiest else None
            synthesis_note = "aucune investigation"
        except NoReverseMatch:
            synthesis, synthesis_note = None, "l'URL investigations:synthesis n'existe pas encore"
        home = reverse("dashboard:home")
        self.admin_url = reverse("admin:products_startup_changelist")
        self.export_url = f"{reverse('dashboard:export')}?vue=reseau"
        return [
            ("Tableau de bord, par défaut", "admin", home),
            (
                "Tableau de bord, à surveiller, trié par alertes",
                "admin",
                f"{home}?vue=reseau&surveiller=1&tri=-alertes",
            ),
            (
                "Tableau de bord, construction, trié par prochain comité",
                "admin",
                f"{home}?vue=reseau&phase=construction&tri=prochain_comite",
            ),
            ("Tableau de bord, page 20", "admin", f"{home}?vue=reseau&page=20"),
            ("Tableau de bord d'un coach (mes startups)", "coach", home),
            ("Export CSV, à surveiller", "admin", f"{reverse('dashboard:export')}?vue=reseau&surveiller=1"),
            ("Export CSV, tout le réseau", "admin", self.export_url),
            ("Vue réseau", "admin", reverse("dashboard:network")),
            (f"Chronologie ({startup.slug})", "admin", reverse("dashboard:timeline", kwargs={"slug": startup.slug})),
            ("Synthèse d'investigation", "admin" if synthesis else synthesis_note, synthesis),
            (
                f"Fiche startup ({startup.slug})",
                "admin",
                reverse("products:startup_detail", kwargs={"slug": startup.slug}),
            ),
            ("Admin Django : liste des startups", "admin", self.admin_url),
        ]

    def _first(self, client, name, who, url):
        """One request to count the queries (and check the page answers), before any timing."""
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        query_count = len(queries)  # now: every request empties the connection's query log
        if response.status_code != 200:
            raise CommandError(f"{name} ({url}) a répondu {response.status_code}.")
        size = len(b"".join(response.streaming_content) if response.streaming else response.content)
        return {"page": name, "user": who, "url": url, "queries": query_count, "bytes": size, "timings": []}

    def _time(self, client, url) -> float:
        began = time.perf_counter()
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
        return (time.perf_counter() - began) * 1000

    def _export_memory(self, client, production_like) -> dict:
        """Python's peak allocations while the network-wide CSV is streamed, and the process's peak RSS."""
        with production_like:
            tracemalloc.start()
            response = client.get(self.export_url)
            rows = sum(chunk.count(b"\n") for chunk in response.streaming_content) - 1
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        return {
            "rows": rows,
            "python_peak_kib": round(peak / 1024),
            "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        }

    def _profile(self, clients, measured, repeat):
        for name, who, url in measured:
            if not (name.startswith("Tableau de bord, par défaut") or name.startswith("Fiche startup")):
                continue
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(repeat):
                clients[who].get(url)
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(15)
            self.stdout.write(f"\nProfil : {name} ({repeat} requêtes, temps propre)")
            lines = out.getvalue().splitlines()
            start = next((i for i, line in enumerate(lines) if line.strip().startswith("ncalls")), 0)
            self.stdout.write(
                "\n".join(line.replace(str(settings.BASE_DIR) + "/", "") for line in lines[start:] if line)
            )

    def _print(self, results, repeat, memory, cold=False):
        self.stdout.write(
            f"Base {connection.vendor} : {Startup.objects.count()} startups, {Interview.objects.count()} entretiens, "
            f"{Decision.objects.count()} décisions ; {repeat} requêtes mesurées par page"
            + (", chacune après une écriture sur la startup mesurée." if cold else ".")
        )
        header = (
            f"{'page':<60} {'qui':<6} {'requêtes':>8} {'médiane ms':>11} {'p95 ms':>9} {'× admin':>8} {'octets':>10}"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for r in results:
            timing = f"{r['median_ms']:>11.1f} {r['p95_ms']:>9.1f}"
            ratio = f"{r['x_admin']:>8.2f}" if r["x_admin"] is not None else f"{'-':>8}"
            self.stdout.write(
                f"{r['page'][:60]:<60} {r['user']:<6} {r['queries']:>8} {timing} {ratio} {r['bytes']:>10}"
            )
        self.stdout.write(
            f"Export CSV de tout le réseau ({memory['rows']} lignes) : pic des allocations Python "
            f"{memory['python_peak_kib']} Kio pendant l'export ; pic de mémoire du processus (RSS) "
            f"{memory['peak_rss_kib']} Kio."
        )
