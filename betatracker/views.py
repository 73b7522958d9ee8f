"""Project-wide pages that belong to no app."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render


@login_not_required
def accessibility(request):
    """The accessibility statement (déclaration d'accessibilité): public, as the law requires."""
    return render(request, "accessibility.html")
