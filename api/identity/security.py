"""Password hashing (argon2 via pwdlib) and signed login tokens (JWT, HS256).

The signing key is `ZHIFA_SECRET_KEY` (at least 32 bytes), which replicas share. When it is unset
on the embedded setup (SQLite), a random key is created once under the data directory (mode 0600)
so tokens survive a restart; with PostgreSQL the key must be given.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

import jwt
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from engine import clock
from engine.errors import Unauthenticated, ZhifaError
from engine.settings import Settings, get_settings

ALGORITHM = "HS256"
SECRET_FILE = "secret_key"
MIN_SECRET_BYTES = 32  # HS256 wants a key at least as long as its hash (RFC 7518 §3.2)

_hasher = PasswordHash((Argon2Hasher(),))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    """Constant work whether or not the user exists, so timing does not reveal usernames."""
    return _hasher.verify(password, password_hash or _dummy_hash())


@lru_cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_hex(16))


def secret_key(settings: Settings | None = None) -> str:
    """The signing key; a short ZHIFA_SECRET_KEY, or none with PostgreSQL, is refused."""
    settings = settings or get_settings()
    if settings.secret_key is not None:
        if len(settings.secret_key.encode("utf-8")) < MIN_SECRET_BYTES:
            raise ZhifaError(f"ZHIFA_SECRET_KEY 太短：至少需要 {MIN_SECRET_BYTES} 字节，建议用 "
                             "`python -c \"import secrets; print(secrets.token_urlsafe(48))\"` 生成",
                             code="secret_key_too_short")
        return settings.secret_key
    if not settings.embedded:
        raise ZhifaError("使用 PostgreSQL 时必须设置 ZHIFA_SECRET_KEY（至少 32 字节），所有服务副本使用同一密钥",
                         code="secret_key_missing")
    return _persisted_key(Path(settings.data_dir) / SECRET_FILE)


def _persisted_key(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        key = secrets.token_urlsafe(48)
        handle.write(key)
    return key


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_at: datetime


@dataclass(frozen=True)
class TokenClaims:
    user_id: int
    version: int  # the account's token_version when the token was issued


def issue_token(user_id: int, settings: Settings | None = None, *, version: int = 0) -> IssuedToken:
    issued = clock.now()
    expires = issued + timedelta(minutes=(settings or get_settings()).token_ttl_minutes)
    payload = {"sub": str(user_id), "ver": version, "iat": int(issued.timestamp()), "exp": int(expires.timestamp())}
    return IssuedToken(jwt.encode(payload, secret_key(settings), algorithm=ALGORITHM), expires)


def token_claims(token: str, settings: Settings | None = None) -> TokenClaims:
    """What a valid, unexpired token says; expiry is judged by the engine clock."""
    try:
        payload = jwt.decode(token, secret_key(settings), algorithms=[ALGORITHM],
                             options={"verify_exp": False, "require": ["sub", "exp", "ver"]})
        claims = TokenClaims(user_id=int(payload["sub"]), version=int(payload["ver"]))
        expired = payload["exp"] <= clock.now().timestamp()
    except (jwt.InvalidTokenError, ValueError, TypeError):
        raise Unauthenticated("登录凭证无效, 请重新登录") from None
    if expired:
        raise Unauthenticated("登录已过期, 请重新登录", code="token_expired")
    return claims
