"""Idempotency-Key on the writes a client may retry: starting a case, completing a task, uploading evidence."""
