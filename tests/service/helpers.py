"""Helpers for the web-app tests: users of every role, a processed case, waiting for the worker."""

from __future__ import annotations

import json
import time
from pathlib import Path

from fastapi.testclient import TestClient

from core.settings import Settings
from service.db import User
from service.security import hash_password, new_api_token

PASSWORD = "correct-paard-batterij"
SAMPLES = Path(__file__).parents[2] / "samples" / "vg-demo"
TRANSCRIPT_VTT = (SAMPLES / "gesprek.vtt").read_bytes()


SCRIPT = {
    "ik_wil": json.dumps({"items": [{"tekst": "Weer rust in mijn hoofd en overzicht over de schulden.", "bronnen": [21]}]}),
    "ik_heb_nodig": json.dumps({"items": [{"tekst": "Hulp bij schulden", "bronnen": [21]},
                                          {"tekst": "Iemand om mee te praten over somberheid", "bronnen": [21]}]}),
    "hulpvraag": json.dumps({"hulpvraag": {"tekst": "Sanne vraagt hulp bij schulden en somberheid.", "context": None, "bronnen": [21]}}),
}


def fake_llm():  # noqa: ANN201
    """A scripted LLM: a few grounded items so the review has something to show and edit."""
    from models.llm.fake import FakeLLM

    return FakeLLM(SCRIPT)


def make_settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", llm_backend="fake", asr_backend="fake", diarization_backend="none",
                    vault_key_file=tmp_path / "vault.key", draft_mode="sections")  # SCRIPT answers per section


def add_users(app) -> dict[str, dict]:  # noqa: ANN001
    """gv1/gv2 (gespreksvoerders), ha1/ha2 (huisartsen), wg (werkgroep), bh (beheerder), with tokens."""
    people = {}
    with app.state.sessions() as db:
        for name, role in [("gv1", "gespreksvoerder"), ("gv2", "gespreksvoerder"), ("ha1", "huisarts"),
                           ("ha2", "huisarts"), ("wg", "werkgroep"), ("bh", "beheerder")]:
            user = User(name=name, display_name=f"Test {name}", role=role, password_hash=hash_password(PASSWORD))
            db.add(user)
            db.commit()
            people[name] = {"id": user.id, "role": role, "token": new_api_token(db, user)}
    return people


def auth(client: TestClient, name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {client.people[name]['token']}"}


def new_case(client: TestClient, who: str = "gv1", huisarts: str = "ha1") -> str:
    body = {"titel": "VG test", "casus": {"inwoner": {"naam": "Sanne de Groot"}, "regio": "zorgzaam"},
            "huisarts_id": client.people[huisarts]["id"],
            "toestemming": {"bevestigd_door": "inwoner", "wijze": "mondeling", "gegeven": True}}
    response = client.post("/api/casussen", json=body, headers=auth(client, who))
    assert response.status_code == 201, response.text
    return response.json()["id"]


def wait(client: TestClient, case_id: str, who: str = "gv1", states=("klaar", "fout", "vastgesteld"),
         timeout: float = 120) -> dict:
    deadline = time.time() + timeout
    case: dict = {}
    while time.time() < deadline:
        case = client.get(f"/api/casussen/{case_id}", headers=auth(client, who)).json()
        if case["status"] in states:
            return case
        time.sleep(0.1)
    raise AssertionError(f"case did not finish: {case}")


def processed_case(client: TestClient, who: str = "gv1", name: str = "gesprek.vtt") -> str:
    case_id = new_case(client, who)
    response = client.put(f"/api/casussen/{case_id}/opname", params={"naam": name}, content=(SAMPLES / name).read_bytes(),
                          headers=auth(client, who))
    assert response.status_code == 202, response.text
    case = wait(client, case_id, who)
    assert case["status"] == "klaar", case
    return case_id
