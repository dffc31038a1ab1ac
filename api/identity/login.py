"""Password login with a throttle per account and per client address.

Failed logins are rows in `login_failure`, so every server process sees the same count. An account with
`login_max_failures` failures within the window is locked (the lockout is an `account_event`), and so is a
client address with `login_max_failures_per_address`; a locked login is refused before any password is
hashed, so a flood costs a read each. Hashing runs with no transaction open: a wrong password never holds
SQLite's write lock while argon2 works.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from api.identity.models import AccountEvent, LoginFailure, User
from api.identity.security import verify_password
from engine import clock
from engine.db import read_session, transaction
from engine.errors import TooManyAttempts, Unauthenticated
from engine.settings import Settings


def login(engine: sa.Engine, settings: Settings, username: str, password: str, address: str) -> User:
    """The user these credentials name; raises `too_many_attempts` (429) or `login_failed`."""
    window = timedelta(minutes=settings.login_failure_window_minutes)
    with read_session(engine) as session:
        _refuse_if_locked(session, username, address, settings, window)
        user = session.exec(select(User).where(User.username == username)).first()
    valid = verify_password(password, user.password_hash if user else None)
    if user is None or not valid or not user.active:
        _record_failure(engine, username, address, settings, window)
        raise Unauthenticated("用户名或密码错误, 或账号已停用", code="login_failed")
    return user


def _refuse_if_locked(session: Session, username: str, address: str, settings: Settings, window: timedelta) -> None:
    now = clock.now()
    for column, value, limit, message in (
            (LoginFailure.username, username, settings.login_max_failures, "登录失败次数过多, 账号已暂时锁定"),
            (LoginFailure.address, address, settings.login_max_failures_per_address, "本机登录失败次数过多, 请稍后再试")):
        until = _locked_until(session, column, value, limit, now - window)
        if until is not None and until > now:
            seconds = math.ceil((until - now).total_seconds())
            raise TooManyAttempts(f"{message}, 请{math.ceil(seconds / 60)}分钟后再试",
                                  details={"retry_after_seconds": seconds})


def _locked_until(session: Session, column, value: str, limit: int, since: datetime) -> datetime | None:
    """Locked while `limit` failures lie in the window: until the `limit`-th most recent one leaves it."""
    recent = session.exec(select(LoginFailure.at).where(column == value, LoginFailure.at > since)
                          .order_by(LoginFailure.at.desc()).offset(limit - 1).limit(1)).first()
    return recent + (clock.now() - since) if recent is not None else None


def _record_failure(engine: sa.Engine, username: str, address: str, settings: Settings, window: timedelta) -> None:
    now = clock.now()
    with transaction(engine) as session:
        session.execute(sa.delete(LoginFailure).where(LoginFailure.at <= now - window))
        session.add(LoginFailure(username=username, address=address, at=now))
        session.flush()
        failures = session.scalar(select(sa.func.count()).select_from(LoginFailure).where(LoginFailure.username == username))
        if failures == settings.login_max_failures:
            user_id = session.exec(select(User.id).where(User.username == username)).first()
            session.add(AccountEvent(at=now, kind="login_locked", username=username, user_id=user_id, address=address,
                                     details={"failures": failures, "minutes": settings.login_failure_window_minutes}))


def clear_failures(engine: sa.Engine, username: str) -> None:
    """A successful login forgets the account's own failures."""
    with read_session(engine) as session:
        if session.exec(select(LoginFailure.id).where(LoginFailure.username == username).limit(1)).first() is None:
            return
    with transaction(engine) as session:
        session.execute(sa.delete(LoginFailure).where(LoginFailure.username == username))
