"""python manage.py check_lifecycle — every inconsistency of the startups' lifecycles, one line each
(committees.lifecycle.lifecycle_problems); exit status 1 if there is any, 0 otherwise."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from committees.lifecycle import lifecycle_problems


class Command(BaseCommand):
    help = (
        "Affiche chaque incohérence du cycle de vie des startups, une par ligne (phases, phase actuelle, "
        "investigations en cours, dernière décision, relevés des séances closes) ; sort en erreur (1) s'il y en a."
    )

    def handle(self, *args, **options):
        problems = lifecycle_problems()
        for problem in problems:
            self.stdout.write(str(problem))
        if problems:
            self.stderr.write(
                ngettext("%(count)d incohérence trouvée.", "%(count)d incohérences trouvées.", len(problems))
                % {"count": len(problems)}
            )
            raise SystemExit(1)
        self.stdout.write(_("Aucune incohérence."))
