"""python manage.py export_betagouv OUT_DIR [--startup SLUG] — the portfolio in beta.gouv.fr's format
(see products/importers/betagouv_export.py)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from products.importers.betagouv_export import ExportError, export_betagouv


class Command(BaseCommand):
    help = _(
        "Écrit le portefeuille au format du dossier content/ de beta.gouv.fr (_startups/, _incubators/, "
        "_organisations/) : chaque fichier garde son en-tête et son texte d'origine, avec les phases et les "
        "comités tels que l'application les connaît."
    )

    def add_arguments(self, parser):
        parser.add_argument("out_dir", help=_("dossier où écrire les fichiers (créé au besoin)"))
        parser.add_argument("--startup", metavar="SLUG", help=_("n'écrire que le fichier de cette startup"))

    def handle(self, *args, out_dir, startup=None, **options):
        try:
            written = export_betagouv(out_dir, startup=startup)
        except (ExportError, OSError) as error:
            raise CommandError(str(error)) from error
        for folder, count in written.items():
            self.stdout.write(
                ngettext("%(folder)s/ : %(count)d fichier", "%(folder)s/ : %(count)d fichiers", count)
                % {"folder": folder, "count": count}
            )
        self.stdout.write(self.style.SUCCESS(_("Export terminé dans %(path)s.") % {"path": out_dir}))
