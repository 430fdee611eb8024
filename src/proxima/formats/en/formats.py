"""English as written in Canada: short dates year first (2026-12-01), which a bilingual
team cannot misread against the French 01/12/2026 (Django's English is the US 12/01/2026)."""

SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d P"
