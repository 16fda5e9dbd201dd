"""Authorisation matrix: every role against every API endpoint, and other people's ids give 404.

The case and letter belong to gv1 and ha1. gv2 (another gespreksvoerder) and ha2 (another
huisarts) hold the right role but not the object: they must get 404 exactly like a wrong role.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from pipeline.backends import Backends
from service.config import ServiceSettings
from service.main import create_app
from tests.service.servers import DATABASES, database_url_for
from tests.service.helpers import PASSWORD, add_users, auth, fake_llm, make_settings, new_case, processed_case, wait

CASE = "/api/casussen/{case_id}"
# (method, route) -> (who may use it, json body or None, query)
MATRIX: dict[tuple[str, str], tuple[set[str], object, dict]] = {
    ("GET", "/api/health"): ({"*", "anon"}, None, {}),
    ("POST", "/api/sessie"): ({"*", "anon"}, {"gebruikersnaam": "wg", "wachtwoord": PASSWORD}, {}),
    ("GET", "/api/ik"): ({"*"}, None, {}),
    ("GET", "/api/huisartsen"): ({"gv1", "gv2"}, None, {}),
    ("POST", "/api/casussen"): ({"gv1", "gv2"}, {"titel": "t", "toestemming": {"bevestigd_door": "a", "wijze": "b", "gegeven": True}}, {}),
    ("GET", "/api/casussen"): ({"gv1", "gv2"}, None, {}),
    ("GET", CASE): ({"gv1"}, None, {}),
    ("DELETE", CASE): ({"gv1"}, None, {}),  # on a second case of gv1's (see test_role_against_endpoint)
    ("PUT", CASE + "/opname"): ({"gv1"}, None, {"naam": "x.vtt"}),
    ("GET", CASE + "/transcript"): ({"gv1"}, None, {}),
    ("GET", CASE + "/audio"): ({"gv1"}, None, {}),
    ("GET", CASE + "/verslag"): ({"gv1"}, None, {}),
    ("PUT", CASE + "/verslag/items/{path}"): ({"gv1"}, {"tekst": "x"}, {}),
    ("POST", CASE + "/verslag/items"): ({"gv1"}, {"sectie": "ik_kan", "tekst": "x"}, {}),
    ("DELETE", CASE + "/verslag/items/{path}"): ({"gv1"}, None, {}),
    ("POST", CASE + "/suggesties/{index}"): ({"gv1"}, {"besluit": "afgewezen"}, {}),
    ("POST", CASE + "/rollen"): ({"gv1"}, {"SPREKER_1": "inwoner"}, {}),
    ("POST", CASE + "/vaststellen"): ({"gv1"}, None, {}),
    ("GET", CASE + "/bestanden/{name}"): ({"gv1"}, None, {}),
    ("GET", "/api/brieven"): ({"ha1", "ha2"}, None, {}),
    ("GET", "/api/brieven/{letter_id}/{fmt}"): ({"ha1"}, None, {}),
    ("POST", "/api/brieven/{letter_id}/gelezen"): ({"ha1"}, None, {}),
    ("GET", "/api/gebruikers"): ({"bh"}, None, {}),
    ("POST", "/api/gebruikers"): ({"bh"}, {"gebruikersnaam": "nieuw", "rol": "werkgroep", "wachtwoord": "lang-genoeg-123"}, {}),
    ("PUT", "/api/kaart/import"): ({"bh"}, None, {"soort": "csv"}),
    ("GET", "/api/statistiek"): ({"wg", "bh"}, None, {}),
    ("GET", "/api/statistiek.csv"): ({"wg", "bh"}, None, {}),
    ("GET", "/api/audit"): ({"bh"}, None, {}),
    ("GET", "/api/audit.csv"): ({"bh"}, None, {}),
}
WHO = ("anon", "gv1", "gv2", "ha1", "ha2", "wg", "bh")


@pytest.fixture(scope="module", params=DATABASES)
def world(tmp_path_factory, deid_engine, request) -> Iterator[tuple[TestClient, dict]]:
    # keep_raw: the recording stays after approval so the audio route can be checked for every role
    # (its deletion at approval is tested in test_flow.py)
    settings = make_settings(tmp_path_factory.mktemp("authz")).model_copy(update={"keep_raw": True})
    app = create_app(settings, Backends(settings, llm=fake_llm(), deid_engine=deid_engine),
                     config=ServiceSettings(login_ip_limit=1000, database_url=database_url_for(request.param, request)))
    with TestClient(app) as client:
        client.people = add_users(app)
        case_id = processed_case(client, name="gesprek.ogg")
        assert client.post(f"/api/casussen/{case_id}/vaststellen", headers=auth(client, "gv1")).status_code == 202
        wait(client, case_id, states=("vastgesteld",))
        letter_id = client.get("/api/brieven", headers=auth(client, "ha1")).json()[0]["id"]
        spare_case_id = new_case(client)
        yield client, {"case_id": case_id, "spare_case_id": spare_case_id, "letter_id": letter_id, "path": "hulpvraag", "index": "0",
                       "name": "advies-huisarts.pdf", "fmt": "pdf"}


def test_matrix_covers_every_api_route(world) -> None:
    client, _ = world
    routes = {(m.upper(), p) for p, ops in client.app.openapi()["paths"].items() for m in ops}
    assert routes == set(MATRIX)


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("route", sorted(MATRIX, key=str), ids=lambda r: f"{r[0]} {r[1]}")
def test_role_against_endpoint(world, route: tuple[str, str], who: str) -> None:
    client, ids = world
    method, template = route
    allowed, body, query = MATRIX[route]
    client.cookies.clear()  # only the bearer token (or nothing) identifies the caller here
    headers = auth(client, who) if who != "anon" else {}
    if route == ("DELETE", CASE):  # deleting is allowed for gv1: do it on the spare case, not the shared one
        ids = {**ids, "case_id": ids["spare_case_id"]}
    response = client.request(method, template.format(**ids), headers=headers, params=query,
                              json=body if body is not None else None,
                              content=b"WEBVTT\n" if method == "PUT" and body is None else None)
    if who in allowed or ("*" in allowed and who != "anon"):
        assert response.status_code not in (401, 403, 404), response.text
        assert response.status_code < 500
    elif who == "anon":
        assert response.status_code == 401
    else:
        assert response.status_code == 404, response.text


def test_other_peoples_ids_are_not_found_for_files(world) -> None:
    client, ids = world
    for who in ("gv2", "ha2", "ha1"):
        for url in (f"/api/casussen/{ids['case_id']}/transcript", f"/api/casussen/{ids['case_id']}/audio",
                    f"/api/casussen/{ids['case_id']}/bestanden/advies-huisarts.pdf"):
            assert client.get(url, headers=auth(client, who)).status_code == 404
    assert client.get(f"/api/brieven/{ids['letter_id']}/pdf", headers=auth(client, "ha2")).status_code == 404
    assert client.get("/api/casussen/../../etc/passwd", headers=auth(client, "gv1")).status_code == 404


def test_audio_supports_range_requests(world) -> None:
    client, ids = world
    response = client.get(f"/api/casussen/{ids['case_id']}/audio", headers={**auth(client, "gv1"), "Range": "bytes=100-199"})
    assert response.status_code == 206 and len(response.content) == 100
