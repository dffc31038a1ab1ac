"""Run a retried write once.

The answer's row is written in the same transaction as the step it answers for (the engine's
`alongside` hook), so after a crash either both exist (a retry replays the stored answer) or
neither (a retry runs the step, once). Two concurrent requests with one key: the unique
(user, key) index lets one commit; the other rolls back whole and replays the winner's answer.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import sqlalchemy as sa
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from sqlmodel import Session, select
from starlette.concurrency import run_in_threadpool

from api.idempotency.models import IdempotentRequest
from engine import clock
from engine.db import read_session
from engine.errors import Conflict, ValidationFailed

HEADER = "Idempotency-Key"
KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,200}$")
REPLAYED_HEADER = "Idempotent-Replayed"

T = TypeVar("T")
Alongside = Callable[[Session, Any], None]


def fingerprint(*parts: Any) -> str:
    """A stable hash of what a request asked for (body and path parameters)."""
    text = json.dumps(jsonable_encoder(parts), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Idempotency:
    engine: sa.Engine
    user_id: int
    key: str | None
    scope: str

    @classmethod
    def from_header(cls, engine: sa.Engine, user_id: int, value: str | None, scope: str) -> Idempotency:
        if value is not None and not KEY_PATTERN.fullmatch(value):
            raise ValidationFailed("Idempotency-Key 须为 1 至 200 个可见 ASCII 字符", code="idempotency_key_invalid",
                                   details={"header": HEADER})
        return cls(engine, user_id, value, scope)

    def run(self, step: Callable[[Alongside | None], T], *, asked: str, answer: Callable[[Any], Any],
            status_code: int) -> T | JSONResponse:
        """Run `step` once for this key; a retry with the same key and request gets the first answer again.

        `step` receives the hook to pass to the engine (None without a key); `answer` turns what the
        engine hands that hook into the response body stored for replays.
        """
        if self.key is None:
            return step(None)
        if (stored := self._stored(asked)) is not None:
            return stored
        try:
            return step(self._alongside(asked, answer, status_code))
        except (sa.exc.IntegrityError, Conflict):
            if (stored := self._stored(asked)) is not None:
                return stored
            raise

    async def run_async(self, step: Callable[[Alongside | None], Awaitable[T]], *, asked: str,
                        answer: Callable[[Any], Any], status_code: int) -> T | JSONResponse:
        """`run` for a streamed request (an upload): the stored answer is looked up before the body is read."""
        if self.key is None:
            return await step(None)
        if (stored := await run_in_threadpool(self._stored, asked)) is not None:
            return stored
        try:
            return await step(self._alongside(asked, answer, status_code))
        except (sa.exc.IntegrityError, Conflict):
            if (stored := await run_in_threadpool(self._stored, asked)) is not None:
                return stored
            raise

    def _alongside(self, asked: str, answer: Callable[[Any], Any], status_code: int) -> Alongside:
        def write(session: Session, result: Any) -> None:
            session.add(IdempotentRequest(user_id=self.user_id, key=self.key, scope=self.scope, fingerprint=asked,
                                          status_code=status_code, response=jsonable_encoder(answer(result)),
                                          created_at=clock.now()))
            session.flush()  # a concurrent twin fails here, and its whole step rolls back
        return write

    def _stored(self, asked: str) -> JSONResponse | None:
        with read_session(self.engine) as session:
            row = session.exec(select(IdempotentRequest).where(IdempotentRequest.user_id == self.user_id,
                                                               IdempotentRequest.key == self.key)).first()
        if row is None:
            return None
        if row.scope != self.scope or row.fingerprint != asked:
            raise ValidationFailed("该 Idempotency-Key 已用于另一个请求, 请换用新的键", code="idempotency_key_reused",
                                   details={"header": HEADER})
        return JSONResponse(row.response, status_code=row.status_code, headers={REPLAYED_HEADER: "true"})
