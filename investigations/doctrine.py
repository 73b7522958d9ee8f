"""The numbers of the investigation doctrine (see GLOSSARY.md, "Investigation"), in one place: the models'
defaults, the forms' hints, the synthesis's health signals and the dashboard's alerts read them here."""

import datetime

# A short, time-boxed phase: 6–9 weeks by the book.
DURATION = datetime.timedelta(weeks=9)
# 20–80 user interviews, ideally about 30 …
INTERVIEW_GOAL = 30
# … at most 4 target groups × 7–8 people.
MAX_TARGET_GROUPS = 4
MIN_PER_GROUP = 7

# Health: an open investigation with no interview for 14 days needs attention (the synthesis says so, the
# dashboard raises an alert) …
SILENCE_DAYS = 14
# … and a target group with fewer interviews than this is under-covered.
HEALTH_MIN_PER_GROUP = 5

# Personal data: interviews are kept until the end of the investigation + 6 calendar months, and never longer
# than the end + 24 calendar months.
RETENTION_MONTHS = 6
RETENTION_MAX_MONTHS = 24
