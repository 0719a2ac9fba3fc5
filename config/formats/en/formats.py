"""English as the site has always written it, for a European readership: "7 Dec 2026",
"7 Dec 2026, 09:30", a 24-hour clock, weeks that start on Monday. Django's own English
("Dec. 7, 2026", "9:30 a.m.") is American.

Templates name the format (`|date:"DATE_FORMAT"`, `|time:"TIME_FORMAT"`) instead of writing the
pattern, so that a Korean page gets Korean dates from the same template.
"""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j M"
YEAR_MONTH_FORMAT = "F Y"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
FIRST_DAY_OF_WEEK = 1
