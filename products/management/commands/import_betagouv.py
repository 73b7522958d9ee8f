"""python manage.py import_betagouv PATH — import the beta.gouv.fr portfolio (see products/importers/betagouv.py)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from products.importers.betagouv import OUTCOMES, SourceFolderError, import_betagouv, record_kinds

OUTCOME_LABELS = {
    "created": "créés",
    "updated": "mis à jour",
    "unchanged": "inchangés",
    "deleted": "supprimés",
    "rejected": "rejetés",
}


class Command(BaseCommand):
    help = _(
        "Fusionne dans la base organisations, incubateurs, startups, phases et événements d'une copie du dossier "
        "content/ de beta.gouv.fr (sous-dossiers _organisations/, _incubators/, _startups/). Ce qui a été "
        "enregistré dans l'application est gardé ; chaque désaccord avec les fichiers est listé comme conflit."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help=_("chemin du dossier content/ de beta.gouv.fr"))

    def handle(self, *args, path, **options):
        try:
            report = import_betagouv(path)
        except SourceFolderError as error:
            raise CommandError(str(error)) from error

        for line in report.warnings:
            self.stdout.write(self.style.WARNING(_("Avertissement %(line)s") % {"line": line}))
        for line in report.conflicts:
            self.stdout.write(self.style.NOTICE(_("Conflit %(line)s") % {"line": line}))
        for line in report.rejections:
            self.stderr.write(self.style.ERROR(_("Fichier rejeté %(line)s") % {"line": line}))

        self.stdout.write("")
        header = f"{'':<20}" + "".join(f"{OUTCOME_LABELS[o]:>12}" for o in OUTCOMES)
        self.stdout.write(header)
        for kind, label in record_kinds().items():
            counts = report.counts[kind]
            self.stdout.write(f"{label:<20}" + "".join(f"{counts[o]:>12}" for o in OUTCOMES))
        self.stdout.write(
            _(
                "Phases normalisées : %(ended)d sans fin terminées au début de la suivante, %(cut)d coupées "
                "(chevauchement) ; fichiers avec deux phases commençant le même jour : %(same_day)d."
            )
            % {
                "ended": report.phases_ended_at_next_start,
                "cut": report.phases_cut,
                "same_day": report.files_with_same_day_phases,
            }
        )
        self.stdout.write(
            _(
                "Total : %(created)d créés, %(updated)d mis à jour, %(warnings)d avertissements, %(conflicts)d "
                "conflits (l'application garde ses valeurs), %(rejected)d rejetés."
            )
            % {
                "created": report.total("created"),
                "updated": report.total("updated"),
                "warnings": len(report.warnings),
                "conflicts": len(report.conflicts),
                "rejected": report.total("rejected"),
            }
        )
        if report.rejections:
            raise CommandError(
                ngettext(
                    "%(count)d fichier rejeté : voir la ligne « Fichier rejeté » ci-dessus.",
                    "%(count)d fichiers rejetés : voir les lignes « Fichier rejeté » ci-dessus.",
                    len(report.rejections),
                )
                % {"count": len(report.rejections)},
                returncode=1,
            )
        self.stdout.write(self.style.SUCCESS(_("Import terminé.")))
