"""The whole flow in Debian's Chromium (Playwright): gespreksvoerder to huisarts, with screenshots.

Screenshots go to ``test-artefacts/screenshots/`` (looked at during review).
"""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("playwright")
CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed (make setup)")
SHOTS = Path(__file__).parents[2] / "test-artefacts" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@pytest.fixture
def server(tmp_path, deid_engine):
    import uvicorn

    from pipeline.backends import Backends
    from service.config import ServiceSettings
    from service.main import create_app
    from tests.service.helpers import add_users, fake_llm, make_settings

    settings = make_settings(tmp_path)
    app = create_app(settings, Backends(settings, llm=fake_llm(), deid_engine=deid_engine),
                     config=ServiceSettings(login_ip_limit=1000))
    add_users(app)
    _seed_statistics(app)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def _seed_statistics(app) -> None:  # noqa: ANN001
    """Earlier months' anonymous figures, so the statistics page has groups above the minimum to show."""
    from service.db import CaseStat

    rows = [("2026-09", "Hilversum", "ggz", 6), ("2026-09", "Huizen", "sociaal domein", 2),
            ("2026-10", "Hilversum", "sociaal domein", 5), ("2026-10", "Gooise Meren", "ggz en sociaal domein", 5),
            ("2026-11", "Hilversum", "ggz", 8)]
    with app.state.sessions() as db:
        for month, gemeente, uitkomst, n in rows:
            db.add_all(CaseStat(month=month, gemeente=gemeente, uitkomst=uitkomst, hours_to_approval=20.0 + i,
                                ai_items=12, changed_items=3, ai_chars=900, edit_distance=140, suggestions=3,
                                suggestions_accepted=1 + i % 2) for i in range(n))
        db.commit()


def _login(page, base: str, name: str) -> None:
    from tests.service.helpers import PASSWORD

    page.goto(f"{base}/inloggen")
    page.fill("#g", name)
    page.fill("#w", PASSWORD)
    page.click("text=Inloggen >> nth=-1")


def test_gespreksvoerder_to_huisarts(server: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 950})
        page.on("dialog", lambda d: d.accept())
        page.goto(f"{server}/inloggen")
        page.screenshot(path=SHOTS / "01-inloggen.png")
        _login(page, server, "gv1")
        page.click("text=Nieuwe casus")
        page.fill("#titel", "VG Sanne, maart")
        page.fill("#inwoner_naam", "Sanne de Groot")
        page.fill("#gemeente", "'s-Hertogenbosch")
        page.fill("#naasten", "Marja de Groot")
        page.select_option("#huisarts_id", label="Test ha1")
        page.fill("#toestemming_door", "Sanne zelf, in bijzijn van beide gespreksvoerders")
        page.click("text=Casus aanmaken")
        expect(page.locator(".fout")).to_contain_text("toestemming")  # no case without consent
        page.check("#toestemming")
        page.fill("#toestemming_door", "Sanne zelf, in bijzijn van beide gespreksvoerders")
        page.screenshot(path=SHOTS / "02-nieuwe-casus.png", full_page=True)
        page.click("text=Casus aanmaken")
        page.screenshot(path=SHOTS / "03-casus-upload.png")
        page.set_input_files("#bestand", str(Path(__file__).parents[2] / "samples" / "vg-demo" / "gesprek.vtt"))
        page.click("#upload")
        page.wait_for_selector("text=Conceptverslag", timeout=120_000)
        page.screenshot(path=SHOTS / "04-beoordelen.png", full_page=True)
        page.click("text=Rollen bevestigen")
        page.wait_for_selector("text=Conceptverslag", timeout=120_000)
        page.click("#hulpvraag")
        expect(page.locator(".seg.licht").first).to_be_visible()
        page.screenshot(path=SHOTS / "05-bronnen-gemarkeerd.png")
        page.locator("#hulpvraag summary").click()
        page.locator("#hulpvraag textarea").fill("Sanne vraagt hulp bij haar schulden en bij somberheid.")
        page.locator("#hulpvraag >> text=Opslaan").click()
        expect(page.locator("#hulpvraag .label.handmatig")).to_be_visible()
        page.locator("text=Accepteren").first.click()
        page.screenshot(path=SHOTS / "06-na-bewerken.png", full_page=True)
        page.click("text=Vaststellen en naar de huisarts sturen")
        page.wait_for_selector("text=Vastgesteld op", timeout=120_000)
        page.screenshot(path=SHOTS / "07-vastgesteld.png")
        page.click("text=Uitloggen")
        _login(page, server, "ha1")
        page.screenshot(path=SHOTS / "08-inbox-huisarts.png")
        page.click("text=VG Sanne, maart")
        page.wait_for_timeout(500)
        page.screenshot(path=SHOTS / "09-brief.png")
        page.click("text=Markeer als gelezen")
        expect(page.locator("text=ja").first).to_be_visible()
        page.click("text=Uitloggen")
        _login(page, server, "bh")
        page.click("text=Auditlog")
        expect(page.locator("#keten")).to_contain_text("Keten intact")
        expect(page.locator("td", has_text="vastgesteld").first).to_be_visible()
        expect(page.locator("body")).not_to_contain_text("Sanne")  # no client names or content in the log
        page.screenshot(path=SHOTS / "10-auditlog.png", full_page=True)
        page.click("text=Statistiek")
        expect(page.locator("#grafiek rect")).to_have_count(2)  # September would reveal Huizen (2) by subtraction
        expect(page.locator("body")).not_to_contain_text("Huizen")  # a group of 2: never shown
        page.screenshot(path=SHOTS / "11-statistiek.png", full_page=True)
        browser.close()
