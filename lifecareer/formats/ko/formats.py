"""Korean date formats for the `date` filter (FORMAT_MODULE_PATH): templates name a format
(`|date:"DATE_FORMAT"`) instead of writing "Y년 n월 j일", so English pages get English dates."""

DATE_FORMAT = "Y년 n월 j일"  # 2026년 11월 26일
DATETIME_FORMAT = "Y년 n월 j일 (D) H:i"  # 2026년 11월 26일 (목요일) 10:00
SHORT_DATETIME_FORMAT = "n월 j일 H:i"  # 11월 25일 18:00 (deadlines)
MONTH_DAY_FORMAT = "n월 j일"
YEAR_MONTH_FORMAT = "Y년 n월"
TIME_FORMAT = "H:i"
