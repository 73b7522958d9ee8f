"""Demo accounts and the fictitious portfolio of `manage.py demo`."""

from .models import User

DEMO_PASSWORD = "betatracker-demo"

# key -> (email, full name, role shown to the person who runs `make run`)
DEMO_ACCOUNTS = {
    "coach": ("coach@demo.beta.gouv.fr", "Camille Coach", "coach"),
    "intrapreneur": ("intrapreneur@demo.beta.gouv.fr", "Inès Intrapreneure", "intrapreneur·e"),
    "committee": ("comite@demo.beta.gouv.fr", "Claude Comité", "membre du comité"),
    "staff": ("incubateur@demo.beta.gouv.fr", "Sacha Incubateur", "équipe d'incubateur"),
    "team": ("equipe@demo.beta.gouv.fr", "Théo Équipe", "membre de l'équipe"),
    "sponsor": ("sponsor@demo.beta.gouv.fr", "Simone Sponsor", "sponsor"),
}


def ensure_accounts() -> dict[str, User]:
    accounts = {}
    for key, (email, full_name, _label) in DEMO_ACCOUNTS.items():
        user, created = User.objects.get_or_create(email=email, defaults={"full_name": full_name})
        if created or not user.has_usable_password():
            user.set_password(DEMO_PASSWORD)
            user.save()
        accounts[key] = user
    return accounts


def populate(accounts: dict[str, User]) -> None:
    """The fictitious portfolio: filled in by the foundation's demo work."""
