"""The site's own date and time formats, per language (settings.FORMAT_MODULE_PATH).

Only what differs from Django's locale files is here; every other language, Korean included,
reads Django's own formats (django/conf/locale/ko/formats.py: "2026년 12월 7일", "오후 3:09").
"""
