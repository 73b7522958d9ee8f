"""python manage.py generate_portfolio --startups N --seed S — a synthetic portfolio for benchmarks."""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from loadtest.synthetic import generate_portfolio, slug_prefix
from products.models import Startup


def _positive(value):
    number = int(value)
    if number < 1:
        raise ValueError
    return number


class Command(BaseCommand):
    help = (
        "Crée un portefeuille synthétique réaliste (phases, équipes, investigations et entretiens, comités, "
        "décisions et conditions) dans les proportions du portefeuille réel, identique pour une même graine."
    )

    def add_arguments(self, parser):
        parser.add_argument("--startups", type=_positive, default=1000, help="nombre de startups (défaut : 1000)")
        parser.add_argument("--seed", type=int, default=1, help="graine du tirage (défaut : 1)")
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="date du jour du portefeuille, AAAA-MM-JJ (défaut : aujourd'hui)",
        )
        parser.add_argument("--batch-size", type=_positive, default=500, help="startups écrites par lot")

    def handle(self, *args, startups, seed, today, batch_size, **options):
        prefix = slug_prefix(seed)
        if Startup.objects.filter(slug__startswith=prefix).exists():
            raise CommandError(
                f"Un portefeuille synthétique de graine {seed} existe déjà (identifiants « {prefix}… ») : "
                "choisissez une autre graine ou repartez d'une base vide."
            )
        began = time.perf_counter()

        def progress(done, total):
            self.stdout.write(f"  {done}/{total} startups…")

        counts = generate_portfolio(startups=startups, seed=seed, today=today, batch_size=batch_size, progress=progress)
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # After a bulk load the planner needs statistics, and index-only scans a visibility map
            # (autovacuum may be slow to come, or off).
            self.stdout.write("  VACUUM ANALYZE…")
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        elapsed = time.perf_counter() - began
        for name, count in sorted(counts.items()):
            self.stdout.write(f"  {name:<40} {count:>9}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Portefeuille synthétique de {startups} startups (graine {seed}) créé en {elapsed:.1f} s."
            )
        )
