"""Column types shared by every domain's tables."""

from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa


class UTCDateTime(sa.types.TypeDecorator):
    """A timezone-aware instant, stored in UTC on every backend.

    SQLite has no time zones: SQLAlchemy would store an aware datetime's wall time
    and drop its offset (10:15+08:00 read back as 10:15 UTC). Converting to UTC on
    the way in and marking UTC on the way out gives the same instant everywhere.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: zhifa stores instants with a time zone")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)
