"""Every corpus input through the web app's JSON API: a 4xx with a Dutch message for bad input,
never a 5xx, and nothing left on disk for a refused upload.

A hostile CASE.json is sent as the ``casus`` of ``POST /api/casussen`` (raw JSON text, so nesting
and encodings reach the server as written); a hostile file is uploaded with
``PUT /api/casussen/{id}/opname?naam=...``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from pipeline.backends import Backends
from service.config import ServiceSettings
from service.main import create_app
from tests.hostile.corpus import CORPUS, HostileInput
from tests.service.helpers import add_users, auth, fake_llm, make_settings, new_case, wait

HTTP_CASES = [pytest.param(item, id=item.id,
                           marks=[pytest.mark.xfail(reason=item.http_xfail, strict=False)] if item.http_xfail else [])
              for item in CORPUS]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, deid_engine):
    settings = make_settings(tmp_path_factory.mktemp("app"))
    app = create_app(settings, Backends(settings, llm=fake_llm(), deid_engine=deid_engine),
                     config=ServiceSettings(login_ip_limit=100_000))
    with TestClient(app, raise_server_exceptions=False) as test_client:
        test_client.people = add_users(app)
        yield test_client


def _files(client: TestClient, case_id: str) -> list[Path]:
    folder = client.app.state.processing.settings.data_dir / "cases" / case_id
    return sorted(folder.rglob("*")) if folder.exists() else []


def _create_case_with(client: TestClient, case_text: str):
    body = ('{"titel": "VG test", "casus": ' + case_text + ', "huisarts_id": "' + str(client.people["ha1"]["id"]) + '", '
            '"toestemming": {"bevestigd_door": "inwoner", "wijze": "mondeling", "gegeven": true}}')
    headers = {**auth(client, "gv1"), "Content-Type": "application/json"}
    return client.post("/api/casussen", content=body.encode("utf-8", errors="surrogateescape"), headers=headers)


@pytest.mark.parametrize("item", HTTP_CASES)
def test_api_answers_4xx_never_5xx_and_leaves_nothing(client: TestClient, tmp_path: Path, item: HostileInput) -> None:
    built = item.build(tmp_path / "in")
    if built.case_text is not None:
        response = _create_case_with(client, built.case_text)
        assert response.status_code < 500, response.text
        if response.status_code >= 400:
            return  # the hostile CASE.json was refused before any case or file existed
        case_id = response.json()["id"]
    else:
        case_id = new_case(client)
    response = client.put(f"/api/casussen/{case_id}/opname", params={"naam": built.filename}, content=built.content,
                          headers=auth(client, "gv1"))
    assert response.status_code < 500, response.text
    if response.status_code >= 400:  # refused (also odd names the CLI never sees): a message, no debris
        fout = response.json()["fout"]
        assert fout and re.search(r"[a-z]", fout), fout
        assert _files(client, case_id) == []  # nothing half-written
        return
    # Accepted uploads end clearly: path-like names are stored safely, faults that only decoding the
    # whole recording finds (silence) end in "fout" with a message, and content that is a readable
    # transcript whatever its name (type by content, not extension) is simply processed.
    assert response.status_code == 202, response.text
    case = wait(client, case_id)
    assert case["status"] in ("klaar", "fout"), case
    if item.http_async or case["status"] == "fout":
        assert case["status"] == "fout" and case["fout"], case
    stored = case["bestand"]
    assert stored and "/" not in stored and ".." not in stored and all(c.isprintable() for c in stored)
