"""Case-file review (案卷评查, DOMAIN.md §10): review plans, the reproducible draw and cross review, scoring,
findings with rectification, and the review report. The automatic pre-check is documents.case_review."""
