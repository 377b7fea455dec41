"""English date formats (see lifecareer/formats/ko/formats.py)."""

DATE_FORMAT = "j F Y"  # 26 November 2026
DATETIME_FORMAT = "D j M Y, H:i"  # Thu 26 Nov 2026, 10:00
SHORT_DATETIME_FORMAT = "j M, H:i"  # 25 Nov, 18:00
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
TIME_FORMAT = "H:i"
