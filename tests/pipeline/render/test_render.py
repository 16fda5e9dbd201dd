from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.case import CaseMetadata
from core.errors import RenderError
from pipeline.render import RenderOptions, render_outputs
from pipeline.verslag.schema import B1Summary, Verslag

FILES = {"verslag.html", "advies-huisarts.html", "advies-huisarts.txt", "advies-huisarts.pdf",
         "samenvatting-b1.html", "samenvatting-b1.txt"}


@pytest.fixture
def rendered(tmp_path: Path, verslag: Verslag, b1: B1Summary, case: CaseMetadata, mapping: dict[str, str],
             no_network) -> dict[str, str]:  # noqa: ANN001
    paths = render_outputs(verslag, b1, case, mapping, tmp_path, RenderOptions()).files
    assert set(paths) == FILES and all(p.parent == tmp_path and p.is_file() for p in paths.values())
    assert paths["advies-huisarts.pdf"].read_bytes().startswith(b"%PDF")
    return {name: p.read_text(encoding="utf-8") for name, p in paths.items() if not name.endswith(".pdf")}


def test_letter_is_reidentified_with_participants_only(rendered: dict[str, str]) -> None:
    for name in ("advies-huisarts.html", "advies-huisarts.txt"):
        letter = rendered[name]
        assert "Sanne de Vries" in letter and "4 maart 1990" in letter and "dr. M. Jansen" in letter
        assert "Anna Bakker meldt Sanne aan bij het wijkteam" in letter
        assert "Piet Buurman" not in letter and "Dorpsstraat" not in letter  # not participants
        assert "[PERSOON-2]" in letter and "[ADRES-1]" in letter
        assert "Geldzorg Vught" in letter and "Buurthuis De Linde" not in letter  # accepted only
        assert "(nog te controleren)" in letter  # unsupported afspraak is marked


def test_verslag_page_stays_pseudonymised_and_marks_grounding(rendered: dict[str, str]) -> None:
    page = rendered["verslag.html"]
    assert "Sanne" not in page and "Anna Bakker" not in page and "[PERSOON-1]" in page
    assert 'class="item status-niet_onderbouwd"' in page and "niet onderbouwd: controleren" in page
    assert "namen komen niet voor: parijs" in page
    assert "Geldzorg Vught" in page and "Buurthuis De Linde" in page and "afgewezen" in page
    assert "zwakke match" in page


def test_model_text_is_escaped_in_html(rendered: dict[str, str]) -> None:
    assert "&lt;rust&gt;" in rendered["verslag.html"] and "<rust>" not in rendered["verslag.html"]
    assert "&lt;rust&gt;" in rendered["advies-huisarts.html"]
    assert "<rust>" in rendered["advies-huisarts.txt"]  # plain text is not HTML-escaped


def test_b1_summary_for_the_inwoner(rendered: dict[str, str]) -> None:
    for name in ("samenvatting-b1.html", "samenvatting-b1.txt"):
        assert "Anna Bakker belt u volgende week." in rendered[name]
        assert "Wat we hebben afgesproken".lower() in rendered[name].lower()


def test_verslag_page_can_be_reidentified_by_option(tmp_path: Path, verslag: Verslag, b1: B1Summary,
                                                     case: CaseMetadata, mapping: dict[str, str]) -> None:
    render_outputs(verslag, b1, case, mapping, tmp_path,
                   RenderOptions(reidentify_verslag_html=True, pdf=False))
    assert "Anna Bakker meldt Sanne" in (tmp_path / "verslag.html").read_text()
    assert not (tmp_path / "advies-huisarts.pdf").exists()


def test_unsupported_items_can_be_left_out_of_the_letter(tmp_path: Path, verslag: Verslag, b1: B1Summary,
                                                          case: CaseMetadata, mapping: dict[str, str]) -> None:
    render_outputs(verslag, b1, case, mapping, tmp_path, RenderOptions(letter_include_unsupported=False, pdf=False))
    letter = (tmp_path / "advies-huisarts.txt").read_text()
    assert "[PERSOON-2]" not in letter and "nog te controleren" not in letter


def test_empty_verslag_and_empty_case_still_render(tmp_path: Path) -> None:
    paths = render_outputs(Verslag(), B1Summary(), CaseMetadata(), {}, tmp_path, RenderOptions())
    letter = paths["advies-huisarts.txt"].read_text()
    assert "de inwoner" in letter and "Geen afspraken vastgelegd." in letter


def test_region_override_wins_and_can_extend_the_default(tmp_path: Path, verslag: Verslag, b1: B1Summary,
                                                        case: CaseMetadata, mapping: dict[str, str]) -> None:
    region = tmp_path / "regio"
    region.mkdir()
    (region / "advies-huisarts.html.j2").write_text(
        '{% extends "_advies-huisarts-basis.html.j2" %}{% block aanhef %}Beste collega van Zorgzaam,{% endblock %}')
    (region / "advies-huisarts.txt.j2").write_text("Regio-brief voor {{ inwoner_naam }}\n")
    out = tmp_path / "out"
    render_outputs(verslag, b1, case, mapping, out, RenderOptions(templates_override_dir=region, pdf=False))
    html = (out / "advies-huisarts.html").read_text()
    assert "Beste collega van Zorgzaam," in html and "Geachte" not in html
    assert "Anna Bakker meldt Sanne" in html  # the rest of the default letter is kept
    assert (out / "advies-huisarts.txt").read_text() == "Regio-brief voor Sanne de Vries\n"
    assert "Conceptverslag" in (out / "verslag.html").read_text()  # not overridden: default used


@pytest.mark.parametrize("body", ["{{ onbekend_veld }}", "{{ verslag.bestaat_niet }}", "{% if %}"])
def test_broken_override_template_is_a_render_error(tmp_path: Path, body: str, verslag: Verslag, b1: B1Summary,
                                                    case: CaseMetadata, mapping: dict[str, str]) -> None:
    region = tmp_path / "regio"
    region.mkdir()
    (region / "advies-huisarts.txt.j2").write_text(body)
    with pytest.raises(RenderError):
        render_outputs(verslag, b1, case, mapping, tmp_path / "out",
                       RenderOptions(templates_override_dir=region, pdf=False))


def test_missing_override_dir_is_a_render_error(tmp_path: Path, verslag: Verslag, b1: B1Summary,
                                                case: CaseMetadata) -> None:
    with pytest.raises(RenderError):
        render_outputs(verslag, b1, case, {}, tmp_path, RenderOptions(templates_override_dir=tmp_path / "nee"))


def test_pdf_never_fetches_remote_resources(tmp_path: Path, verslag: Verslag, b1: B1Summary, case: CaseMetadata,
                                            no_network) -> None:  # noqa: ANN001
    region = tmp_path / "regio"
    region.mkdir()
    (region / "advies-huisarts.html.j2").write_text(
        '<html><head><link rel="stylesheet" href="https://example.org/x.css"></head>'
        '<body><img src="http://example.org/logo.png">Brief voor {{ inwoner_naam }}</body></html>')
    paths = render_outputs(verslag, b1, case, {}, tmp_path / "out", RenderOptions(templates_override_dir=region))
    assert paths["advies-huisarts.pdf"].read_bytes().startswith(b"%PDF")
    assert no_network == []


def _items_only_verslag(advies: bool, advies_status: str = "onderbouwd") -> Verslag:
    from pipeline.verslag.schema import Item

    return Verslag(
        ik_wil=[Item(tekst="Ik wil weer rust in mijn hoofd.", bronnen=[2], status="onderbouwd")],
        ik_heb_nodig=[Item(tekst="Ik heb hulp nodig met mijn schulden.", bronnen=[5], status="onderbouwd",
                           herkomst="citaat")],
        advies_huisarts=Item(tekst="Advies: aanmelden schuldhulp.", bronnen=[6], status=advies_status,
                             herkomst="sjabloon") if advies else None,
    )


@pytest.mark.parametrize(("verslag", "include_unsupported", "present", "absent"), [
    # no advies item: the letter lists the items instead of "Geen advies vastgelegd."
    (_items_only_verslag(False), True, ["Ik wil: Ik wil weer rust", "Ik heb nodig:", "letterlijk uit het gesprek"],
     ["Geen advies vastgelegd."]),
    # an unsupported advies left out of the letter: the items stand in for it
    (_items_only_verslag(True, "niet_onderbouwd"), False, ["Ik wil weer rust"], ["Advies: aanmelden", "Geen advies vastgelegd."]),
    # a usable advies is shown as is
    (_items_only_verslag(True), True, ["Advies: aanmelden schuldhulp."], ["geen apart advies opgesteld"]),
    # nothing at all: the plain "no advies" line
    (Verslag(), True, ["Geen advies vastgelegd."], ["geen apart advies opgesteld"]),
])
def test_letter_is_never_empty_while_the_verslag_has_items(tmp_path: Path, verslag: Verslag, include_unsupported: bool,
                                                           present: list[str], absent: list[str]) -> None:
    render_outputs(verslag, B1Summary(), CaseMetadata(), {}, tmp_path,
                   RenderOptions(pdf=False, letter_include_unsupported=include_unsupported))
    for name, marker in (("advies-huisarts.txt", "\nADVIES\n"), ("advies-huisarts.html", "<h2>Advies</h2>")):
        letter = (tmp_path / name).read_text()
        assert marker in letter
        advies = letter.split(marker)[-1]
        for text in present:
            assert text.replace("Ik wil: ", "") in advies, (name, text)
        for text in absent:
            assert text not in advies, (name, text)
