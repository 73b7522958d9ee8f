"""English display formats (FORMAT_MODULE_PATH), month first everywhere: the long form spells the month,
the short one is numeric. Input formats are Django's (django.conf.locale.en)."""

DATE_FORMAT = "N j, Y"  # Dec. 1, 2026
SHORT_DATE_FORMAT = "m/d/Y"  # 12/01/2026
TIME_FORMAT = "P"  # 2:06 a.m.
DATETIME_FORMAT = "N j, Y, P"  # Dec. 1, 2026, 2:06 a.m.
SHORT_DATETIME_FORMAT = "m/d/Y P"  # 12/01/2026 2:06 a.m.
YEAR_MONTH_FORMAT = "F Y"  # December 2026
MONTH_DAY_FORMAT = "F j"  # December 1
