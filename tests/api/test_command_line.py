"""`zhifa serve`, `worker` and `admin create` as an operator runs them: in their own process, over HTTP."""

import os
import subprocess
import sys
import tempfile
from contextlib import contextmanager

import httpx
import pytest
import yaml

from api.identity.seed import DEMO_FILE

NOW = "2026-03-02T09:00:00+08:00"
KEY = "a-shared-signing-key-of-32-bytes-or-more"

from tests.services.http_server import free_port, wait_until_healthy


@pytest.fixture
def env(zhifa_env, tmp_path):
    """A fresh embedded installation: its own data directory, no clock override, no key given."""
    environment = {name: value for name, value in os.environ.items()
                   if name not in ("ZHIFA_NOW", "ZHIFA_SECRET_KEY", "ZHIFA_ALLOW_CLOCK_OVERRIDE")}
    return {**environment, "ZHIFA_DATA_DIR": str(tmp_path / "install"), "ZHIFA_PDF_RENDITION": "false"}


def zhifa(env, *args, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "api", *args], env=env, input=stdin, capture_output=True,
                          text=True, timeout=120)


class Served:
    """The server's output, kept in files (a debug log outgrows a pipe nobody reads while the server runs)."""

    def __init__(self, process: subprocess.Popen, out, err):
        self.process, self.out, self.err = process, out, err

    def communicate(self) -> tuple[str, str]:
        self.process.wait(timeout=20)
        self.out.seek(0)
        self.err.seek(0)
        return self.out.read(), self.err.read()


@contextmanager
def serving(env, *options):
    """`zhifa serve` on a free port until its health check answers; yields (base URL, its output)."""
    port = free_port()
    out, err = tempfile.TemporaryFile("w+"), tempfile.TemporaryFile("w+")  # read after the block, closed when dropped
    process = subprocess.Popen([sys.executable, "-m", "api", "serve", "--no-worker", "--port", str(port), *options],
                               env=env, stdout=out, stderr=err, text=True)
    served = Served(process, out, err)
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        wait_until_healthy(f"{base}/health", process, describe_exit=lambda: str(served.communicate()))
        yield base, served
    finally:
        process.terminate()
        process.wait(timeout=20)


def login(base: str, username: str, password: str) -> dict:
    response = httpx.post(f"{base}/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.mark.parametrize("command", [["serve"], ["worker", "--once"]])
def test_the_simulated_clock_is_refused_by_serve_and_worker(env, command):
    result = zhifa({**env, "ZHIFA_NOW": NOW}, *command)
    assert result.returncode == 1
    assert f"错误 [clock_override_refused]: 已设置 ZHIFA_NOW（模拟时钟 {NOW}），zhifa {command[0]} 拒绝启动" in result.stderr
    assert "ZHIFA_ALLOW_CLOCK_OVERRIDE=1" in result.stderr


def test_the_clock_override_can_be_allowed_explicitly(env):
    assert zhifa({**env, "ZHIFA_NOW": NOW, "ZHIFA_ALLOW_CLOCK_OVERRIDE": "1"}, "worker", "--once").returncode == 0


def test_a_short_signing_key_is_refused(env):
    result = zhifa({**env, "ZHIFA_SECRET_KEY": "too-short"}, "serve")
    assert result.returncode == 1
    assert "错误 [secret_key_too_short]: ZHIFA_SECRET_KEY 太短：至少需要 32 字节" in result.stderr


def test_with_postgresql_the_signing_key_must_be_given(env, tmp_path):
    """Replicas on one database must share the key, so none is generated into a data directory."""
    result = zhifa({**env, "ZHIFA_DATABASE_URL": "postgresql+psycopg://zhifa@127.0.0.1:9/zhifa"}, "serve")
    assert result.returncode == 1
    assert "错误 [secret_key_missing]: 使用 PostgreSQL 时必须设置 ZHIFA_SECRET_KEY" in result.stderr
    assert not (tmp_path / "install" / "secret_key").exists()


def test_serve_on_an_empty_database_says_how_to_start(env):
    result = zhifa(env, "serve")
    assert result.returncode == 1
    assert "数据库中还没有任何账号" in result.stderr
    assert "zhifa admin create --username admin --agency" in result.stderr and "zhifa serve --demo" in result.stderr


def test_admin_create_then_login_over_http(env, tmp_path):
    created = zhifa(env, "admin", "create", "--username", "boss", "--agency", "360827", "--agency-name",
                    "遂川县应急管理局", "--short-name", "遂", "--password-stdin", stdin="a-long-password\n")
    assert created.returncode == 0, created.stderr
    assert "已创建系统管理员 boss（遂川县应急管理局）" in created.stdout
    with serving(env) as (base, process):
        me = httpx.get(f"{base}/me", headers=login(base, "boss", "a-long-password")).json()
        assert (me["username"], me["roles"], me["agency"]["short_name"]) == ("boss", ["admin"], "遂")
        # no demo data came with it
        assert [user["username"] for user in httpx.get(f"{base}/users", headers=login(base, "boss", "a-long-password")).json()] == ["boss"]
    out, _ = process.communicate()
    site = base.removesuffix("/api/v1")
    assert f"zhifa 已启动: 网页 {site}/ （接口 {base} ，接口文档 {site}/docs ）" in out
    assert f"数据目录: {tmp_path / 'install'}" in out
    assert (tmp_path / "install" / "secret_key").is_file()  # the embedded setup keeps its generated key


def test_admin_create_needs_the_agency_details_on_an_empty_database(env):
    result = zhifa(env, "admin", "create", "--username", "boss", "--agency", "360827", "--password-stdin",
                   stdin="a-long-password\n")
    assert result.returncode == 1
    assert "执法机构 360827 不存在；新建机构时请同时给出 --agency-name" in result.stderr


def test_replicas_share_the_signing_key_from_the_environment(env, tmp_path):
    """A token from one service is accepted by another with the same ZHIFA_SECRET_KEY; nothing is written."""
    shared = {**env, "ZHIFA_SECRET_KEY": KEY}
    assert zhifa(shared, "admin", "create", "--username", "boss", "--agency", "360827", "--agency-name",
                 "遂川县应急管理局", "--short-name", "遂", "--password-stdin", stdin="a-long-password\n").returncode == 0
    with serving(shared) as (first, _):
        headers = login(first, "boss", "a-long-password")
    with serving(shared) as (second, _):
        assert httpx.get(f"{second}/me", headers=headers).json()["username"] == "boss"
    assert not (tmp_path / "install" / "secret_key").exists()


def test_serve_demo_names_the_logins_warns_and_keeps_spiffworkflow_quiet(env):
    password = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))["password"]
    with serving(env, "--demo") as (base, process):
        headers = login(base, "quanjiang1", password)
        agency = httpx.get(f"{base}/me", headers=headers).json()["agency"]["id"]
        started = httpx.post(f"{base}/cases", headers=headers, json={
            "process": "inspection", "agency_id": agency, "title": "日常检查",
            "party": {"kind": "unit", "name": "遂川县某家具厂"}})
        assert started.status_code == 201, started.text
    out, err = process.communicate()
    assert "演示账号见 README.md" in out
    assert "警告: 演示账号的密码是公开的" in err
    assert "Initialized workflow" not in err  # SpiffWorkflow's per-task INFO lines are off by default


def test_log_level_debug_shows_spiffworkflow(env):
    password = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))["password"]
    with serving(env, "--demo", "--log-level", "debug") as (base, process):
        headers = login(base, "quanjiang1", password)
        agency = httpx.get(f"{base}/me", headers=headers).json()["agency"]["id"]
        httpx.post(f"{base}/cases", headers=headers, json={
            "process": "inspection", "agency_id": agency, "title": "日常检查",
            "party": {"kind": "unit", "name": "遂川县某家具厂"}})
    _, err = process.communicate()
    assert "Initialized workflow" in err


def test_admin_agency_create_and_edit_add_a_township_its_officers_work_in(env):
    assert zhifa(env, "admin", "create", "--username", "boss", "--agency", "360827", "--agency-name",
                 "遂川县应急管理局", "--short-name", "遂", "--password-stdin", stdin="a-long-password\n").returncode == 0
    created = zhifa(env, "admin", "agency", "create", "--code", "caolin", "--name", "草林镇人民政府", "--short-name", "遂草",
                    "--parent", "360827")
    assert created.returncode == 0, created.stderr
    assert "已新建执法机构: 草林镇人民政府（代码 caolin，机关代字 遂草，印章 草林镇人民政府）" in created.stdout
    clash = zhifa(env, "admin", "agency", "create", "--code", "other", "--name", "某镇", "--short-name", "遂草",
                  "--parent", "360827")
    assert clash.returncode == 1 and "错误 [agency_short_name_taken]" in clash.stderr
    bad = zhifa(env, "admin", "agency", "create", "--code", "../x", "--name", "某镇", "--short-name", "遂某",
                "--parent", "360827")
    assert bad.returncode == 1 and "错误 [validation_failed]: 参数不合要求: code" in bad.stderr
    edited = zhifa(env, "admin", "agency", "edit", "caolin", "--seal-name", "遂川县应急管理局")
    assert edited.returncode == 0, edited.stderr
    assert "印章 遂川县应急管理局" in edited.stdout
    with serving(env) as (base, _):
        listed = httpx.get(f"{base}/agencies", headers=login(base, "boss", "a-long-password")).json()
        assert [(a["code"], a["short_name"], a["seal_name"]) for a in listed] == [
            ("360827", "遂", None), ("caolin", "遂草", "遂川县应急管理局")]
