"""python manage.py send_reminders [--dry-run] [--date AAAA-MM-JJ] — send the reminders due (once each)."""

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from core.commands import DATE_HELP, date_option
from reminders.services import reminders_send


class Command(BaseCommand):
    help = (
        "Envoie les rappels dus (courriel et notification) à l'équipe et aux coachs de chaque startup, une seule "
        "fois chacun : une ligne par rappel (type, startup, destinataire), puis le nombre."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Affiche les rappels dus sans rien envoyer.")
        parser.add_argument("--date", help=DATE_HELP)

    def handle(self, *args, dry_run=False, date=None, **options):
        on = date_option(date)
        reminders = reminders_send(today=on, dry_run=dry_run)
        for outgoing in reminders:
            startup = outgoing.due.startup.name if outgoing.due.startup else "—"
            self.stdout.write(f"{outgoing.due.kind} | {startup} | {outgoing.recipient.email}")
        if dry_run:
            summary = ngettext(
                "%(count)d rappel à envoyer (simulation, rien n'est envoyé).",
                "%(count)d rappels à envoyer (simulation, rien n'est envoyé).",
                len(reminders),
            ) % {"count": len(reminders)}
        else:
            summary = ngettext("%(count)d rappel envoyé.", "%(count)d rappels envoyés.", len(reminders)) % {
                "count": len(reminders)
            }
        self.stdout.write(self.style.SUCCESS(summary))
