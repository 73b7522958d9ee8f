"""The numbers of the committee doctrine (see GLOSSARY.md, "Comité d'investissement"), in one place: the
services' suggestions, the forms' hints, the demo data and the dashboard's alerts read them here."""

# A committee at least every 6 months; the team asks for a team and a budget for the next 6 months.
CADENCE_MONTHS = 6
# The dashboard counts the cadence in days: "at least every 6 months" is more than 183 days without one.
CADENCE_DAYS = 183
# A "prolongation provisoire" funds 1–2 months: the next committee comes 2 months later.
PROVISIONAL_EXTENSION_MONTHS = 2
# The committee sits 30–45 days before the budget runs out.
BUDGET_WARNING_DAYS = 45

# About 50 minutes per startup: 15 presentation, 15 questions, 20 deliberation.
SLOT_MINUTES = 50
PRESENTATION_MINUTES = 15
QUESTIONS_MINUTES = 15

# The go / stop checklist (committees/checklist.py): the problem counts as confirmed by an investigation of at
# least 20 interviews (the guide: 20–80) where fewer than half the people see no problem at all …
CHECKLIST_MIN_INTERVIEWS = 20
CHECKLIST_MAX_NO_PROBLEM_SHARE = 0.5
# … and the intrapreneur gives the product at least 60 % of their time.
INTRAPRENEUR_MIN_TIME_SHARE = 60
