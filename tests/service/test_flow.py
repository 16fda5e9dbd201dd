"""The whole flow over the API: case with consent, upload, review edits, suggestion, approval, inbox."""

from __future__ import annotations

import pytest

from tests.service.servers import DATABASES
from tests.service.helpers import auth, processed_case, wait

pytestmark = pytest.mark.parametrize("database", DATABASES, indirect=True)


def test_case_to_letter(client) -> None:
    case_id = processed_case(client)
    gv = auth(client, "gv1")
    case = client.get(f"/api/casussen/{case_id}", headers=gv).json()
    assert [s["state"] for s in case["stappen"]] == ["klaar"] * 4
    verslag = client.get(f"/api/casussen/{case_id}/verslag", headers=gv).json()
    transcript = client.get(f"/api/casussen/{case_id}/transcript", headers=gv).json()
    assert transcript["segments"]
    path, item = "hulpvraag", verslag["hulpvraag"]
    assert verslag["suggesties"], "the scripted needs match the bundled sociale kaart"
    edited = client.put(f"/api/casussen/{case_id}/verslag/items/{path}", json={"tekst": item["tekst"] + " Aangevuld."}, headers=gv)
    assert edited.status_code == 200 and edited.json()["status"] == "handmatig"
    added = client.post(f"/api/casussen/{case_id}/verslag/items", json={"sectie": "ik_kan", "tekst": "Koken."}, headers=gv)
    assert added.status_code == 201
    assert client.delete(f"/api/casussen/{case_id}/verslag/items/{added.json()['pad']}", headers=gv).status_code == 204
    r = client.post(f"/api/casussen/{case_id}/suggesties/0", json={"besluit": "geaccepteerd"}, headers=gv)
    assert r.status_code == 200
    assert client.post(f"/api/casussen/{case_id}/vaststellen", headers=gv).status_code == 202
    assert wait(client, case_id)["status"] == "vastgesteld"
    invoer = client.app.state.processing.settings.data_dir / "cases" / case_id / "invoer"
    assert not invoer.exists(), "the uploaded recording is deleted once the verslag is approved"
    assert client.get(f"/api/casussen/{case_id}/audio", headers=gv).status_code == 404
    assert client.put(f"/api/casussen/{case_id}/verslag/items/{path}", json={"tekst": "x"}, headers=gv).status_code == 409
    letters = client.get("/api/brieven", headers=auth(client, "ha1")).json()
    assert len(letters) == 1 and letters[0]["gelezen"] is None
    pdf = client.get(f"/api/brieven/{letters[0]['id']}/pdf", headers=auth(client, "ha1"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    html = client.get(f"/api/brieven/{letters[0]['id']}/html", headers=auth(client, "ha1")).text
    assert "Aangevuld." in html and verslag["suggesties"][0]["naam"] in html
    assert client.post(f"/api/brieven/{letters[0]['id']}/gelezen", headers=auth(client, "ha1")).json()["gelezen"]
    assert client.get("/api/brieven", headers=auth(client, "ha2")).json() == []


def test_no_case_without_consent(client) -> None:
    body = {"titel": "x", "toestemming": {"bevestigd_door": "inwoner", "wijze": "mondeling", "gegeven": False}}
    response = client.post("/api/casussen", json=body, headers=auth(client, "gv1"))
    assert response.status_code == 400 and "toestemming" in response.json()["fout"]
    assert client.get("/api/casussen", headers=auth(client, "gv1")).json() == []
