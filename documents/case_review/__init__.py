"""Case-file review (案卷评查): the automatic pre-check of a case against the rubric (engine.review_rubric)."""
