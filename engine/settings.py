"""All configuration in one object, read from ZHIFA_* environment variables.

`get_settings()` is the only source: the engine, the documents and the HTTP app all read it.
"""

from __future__ import annotations

import os
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

import bpmn

PACKAGE_DIR = Path(__file__).resolve().parent
TIMEZONE = "Asia/Shanghai"


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "zhifa"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ZHIFA_", extra="ignore")

    data_dir: Path = Field(default_factory=_default_data_dir)
    database_url: str | None = None
    bpmn_dir: Path = bpmn.MODELS_DIR

    # object storage: S3 when an endpoint is set, else a directory under data_dir
    s3_endpoint: str | None = None
    s3_access_key: str | None = None
    s3_secret_key: str | None = None
    s3_bucket: str = "zhifa"
    s3_secure: bool = False

    # --- object storage timeouts, evidence size limits, archive retention (issue 5) ---
    s3_region: str = "us-east-1"
    s3_connect_timeout: float = 3.0
    s3_read_timeout: float = 60.0
    # upload size limits in bytes by evidence type code (documents.evidence.models.EvidenceType);
    # a type not listed gets evidence_max_bytes_default
    evidence_max_bytes_by_type: dict[str, int] = {"audio_video": 2 * 1024**3}
    evidence_max_bytes_default: int = 50 * 1024**2
    # COMPLIANCE retention given to a case's objects when it is archived
    archive_retention_days: int = 30 * 365
    # --- end issue 5 ---

    # JWT signing key, at least 32 bytes; replicas must share it. Unset: generated into data_dir on
    # the embedded (SQLite) setup, refused on PostgreSQL (api.identity.security.secret_key)
    secret_key: str | None = None
    token_ttl_minutes: int = 480  # login tokens (JWT) expire after this
    # login throttle: this many failures within the window lock the account (or the client address)
    # until fewer remain in the window
    login_max_failures: int = 5
    login_max_failures_per_address: int = 30
    login_failure_window_minutes: int = 15
    # the public (no-login) endpoints: a token bucket per client address holding public_rate_burst
    # requests, refilled at public_rate_per_minute; an emptied bucket answers 429 (api.rate_limit)
    public_rate_per_minute: float = 30.0
    public_rate_burst: int = 20
    # the largest JSON request body the API reads (bytes); larger ones are refused with 413
    max_json_bytes: int = 1024**2
    rules_profile: str = "jiangxi"
    # where fines are paid (行政处罚法 Art. 67), printed on every 行政处罚决定书; all three or none
    fine_payment_bank: str | None = None  # e.g. 中国农业银行遂川县支行
    fine_payment_account_name: str | None = None  # e.g. 遂川县财政局非税收入汇缴结算户
    fine_payment_account: str | None = None
    # 案号 patterns per case kind; fields: short (机关代字), year, seq (per agency, kind and year)
    case_number_patterns: dict[str, str] = {
        "inspection": "（{short}）应急检〔{year}〕{seq}号",
        "case": "（{short}）应急立〔{year}〕{seq}号",
        "measures": "（{short}）应急措〔{year}〕{seq}号",  # compulsory measures (I3b/I3c)
        "simple": "（{short}）应急简〔{year}〕{seq}号",  # simple procedure (当场处罚)
        "hazard": "（{short}）隐患〔{year}〕{seq}号",  # hazard report from the grid or a citizen (bpmn/hazard_report.bpmn)
        "plan": "（{short}）应急检计〔{year}〕{seq}号",  # annual inspection plan (年度监督检查计划)
    }
    # extra directory of <year>.yaml holiday files (years chinesecalendar lacks, or corrections)
    holidays_dir: Path | None = None
    # A fixed "now" (ISO datetime) for demos and tests run in separate processes. It changes the
    # timestamps of the record, so `serve` and `worker` refuse it unless allow_clock_override is set.
    now: datetime | None = None
    allow_clock_override: bool = False
    worker_poll_seconds: float = 1.0
    # record anchors (engine.anchor): the worker signs every chain head into object storage this often
    record_anchor_minutes: float = 10.0
    # a worker item (a case's timers, a rendition, an outbox entry) that fails is tried again after
    # worker_retry_seconds, doubling each time up to worker_retry_max_seconds; after
    # worker_max_attempts the worker gives up on it (`zhifa worker --status`, /ready)
    worker_max_attempts: int = 5
    worker_retry_seconds: float = 60.0
    worker_retry_max_seconds: float = 3600.0
    # a rendition or outbox entry claimed by a worker that died is free again after this
    worker_claim_seconds: float = 900.0
    # PDF rendition by a persistent LibreOffice (unoserver) in the worker; off, or absent, the service still runs
    pdf_rendition: bool = True
    uno_dir: Path = Path("/opt/zhifa-uno")

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'zhifa.db'}"

    @property
    def embedded(self) -> bool:
        """The single-machine setup: an SQLite database (the default, under data_dir)."""
        return self.resolved_database_url.startswith("sqlite")

    @property
    def objects_dir(self) -> Path:
        return self.data_dir / "objects"


@lru_cache
def get_settings() -> Settings:
    return Settings()
