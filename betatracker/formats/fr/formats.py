"""French display formats (FORMAT_MODULE_PATH): one short and one long way to write a date, a time and both.
Input formats are Django's (the module falls back to django.conf.locale.fr for anything not named here)."""

DATE_FORMAT = "j F Y"  # 1 décembre 2026
SHORT_DATE_FORMAT = "d/m/Y"  # 01/12/2026
TIME_FORMAT = r"H\hi"  # 02h06
DATETIME_FORMAT = r"j F Y à H\hi"  # 1 décembre 2026 à 02h06
SHORT_DATETIME_FORMAT = r"d/m/Y H\hi"  # 01/12/2026 02h06
YEAR_MONTH_FORMAT = "F Y"  # décembre 2026
MONTH_DAY_FORMAT = "j F"  # 1 décembre
