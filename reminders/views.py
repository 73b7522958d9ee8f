"""The notifications page (a person sees only their own) and the reminder preferences of the profile page."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from .forms import ReminderPreferencesForm
from .messages import describe
from .models import Notification
from .services import notification_mark_read, notifications_mark_all_read, reminder_preferences_save

PAGE_SIZE = 100


@require_safe
def notification_list(request):
    notifications = list(Notification.objects.filter(user=request.user).select_related("reminder__startup")[:PAGE_SIZE])
    for notification in notifications:
        reminder = notification.reminder
        notification.title, notification.text = describe(
            reminder.kind, reminder.startup.name if reminder.startup else "", reminder.params
        )
    unread = sum(1 for notification in notifications if not notification.is_read)
    return render(request, "reminders/notifications.html", {"notifications": notifications, "unread": unread})


@require_POST
def notification_read(request, pk):
    notification_mark_read(notification=get_object_or_404(Notification, pk=pk, user=request.user))
    return redirect("reminders:notifications")


@require_POST
def notification_read_all(request):
    notifications_mark_all_read(user=request.user)
    return redirect("reminders:notifications")


@require_POST
def preferences_update(request):
    form = ReminderPreferencesForm(request.POST, user=request.user)
    if form.is_valid():
        reminder_preferences_save(
            user=request.user, language=form.cleaned_data["language"], kinds=form.cleaned_data["kinds"]
        )
        messages.success(request, _("Vos préférences de rappels sont enregistrées."))
    else:
        messages.error(request, _("Ces préférences n'ont pas pu être enregistrées : choisissez une langue proposée."))
    return redirect("profile")
