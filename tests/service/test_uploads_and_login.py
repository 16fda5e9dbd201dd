"""Uploads (names, size while streaming, type by content, no debris) and login security."""

from __future__ import annotations

import pytest

from tests.service.helpers import PASSWORD, auth, new_case


def _files(client, case_id: str) -> list[str]:
    folder = client.app.state.processing.settings.data_dir / "cases" / case_id
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


@pytest.mark.parametrize(
    ("name", "content", "text"),
    [
        ("..", b"WEBVTT\n", "bestandsnaam"),
        (".", b"WEBVTT\n", "bestandsnaam"),
        ("a" * 256, b"WEBVTT\n", "bestandsnaam"),
        ("../../etc/passwd", b"WEBVTT\n", "bestandsnaam"),
        ("na\u200bam.vtt", b"WEBVTT\n", "onzichtbare"),
        ("leeg.ogg", b"", "Leeg bestand"),
        ("lijst.m3u8", b"#EXTM3U\n#EXT-X-VERSION:3\nfile:///etc/passwd\n", "geen bruikbare opname"),
        ("ruis.ogg", bytes(range(256)) * 40, "geen bruikbare opname"),
        ("kapot.ogg", b"OggS" + b"\x00" * 500, "geen bruikbare opname"),
    ],
)
def test_bad_upload_is_4xx_and_leaves_nothing(client, name: str, content: bytes, text: str) -> None:
    case_id = new_case(client)
    response = client.put(f"/api/casussen/{case_id}/opname", params={"naam": name}, content=content, headers=auth(client, "gv1"))
    assert response.status_code == 400, response.text
    assert text in response.json()["fout"]
    assert _files(client, case_id) == []
    assert client.get(f"/api/casussen/{case_id}", headers=auth(client, "gv1")).json()["status"] == "nieuw"


def test_size_limit_is_checked_while_streaming(client) -> None:
    client.app.state.processing.settings.max_file_mb = 1
    case_id = new_case(client)
    sent = []

    def body():
        for _ in range(10):
            sent.append(1)
            yield b"\x00" * (512 * 1024)

    response = client.put(f"/api/casussen/{case_id}/opname", params={"naam": "groot.wav"}, content=body(),
                          headers=auth(client, "gv1"))
    assert response.status_code == 400 and "groter dan 1 MB" in response.json()["fout"]
    assert _files(client, case_id) == []


def test_login_cookie_csrf_and_lockout(client) -> None:
    response = client.post("/api/sessie", json={"gebruikersnaam": "gv1", "wachtwoord": PASSWORD})
    assert response.status_code == 200
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "max-age" in cookie
    body = {"titel": "t", "toestemming": {"bevestigd_door": "a", "wijze": "b", "gegeven": True}}
    assert client.post("/api/casussen", json=body).status_code == 403  # cookie without CSRF token
    client.cookies.clear()
    for _ in range(5):
        assert client.post("/api/sessie", json={"gebruikersnaam": "gv2", "wachtwoord": "fout"}).status_code == 401
    locked = client.post("/api/sessie", json={"gebruikersnaam": "gv2", "wachtwoord": PASSWORD})
    assert locked.status_code == 401 and "geblokkeerd" in locked.json()["fout"]


def test_login_page_explains_first_beheerder(app) -> None:
    from fastapi.testclient import TestClient

    with TestClient(app) as fresh:
        page = fresh.get("/inloggen").text
    assert "vg users create NAAM --role beheerder" in page
