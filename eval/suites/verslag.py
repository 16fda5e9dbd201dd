"""Verslag suite: the draft against gold annotations per conversation.

Omissions (item recall per section), hallucinations (automatic grounding check, and against gold:
items supported neither by a gold item nor by the gold transcript; "must not appear" statements),
uitkomst accuracy, schema validity, "ik wil is geen zorgaanbod" violations, letter completeness and
personal data in the draft. Matching is lexical and explained in :mod:`eval.suites.verslag_match`.
"""

from __future__ import annotations

import time
from typing import Any

from pydantic import BaseModel, ConfigDict

from eval.core.dataset import Dataset
from eval.core.scorer import Score, scorer
from eval.core.task import Task, TaskState
from eval.normalize import DutchNormaliser
from eval.suites.base import DEV_DIR, EvalContext, case_of, gold_transcript, read_json_file, suite
from eval.suites.verslag_match import (
    MAX_CITED, TURN_TOLERANCE, best_similarity, gold_items, care_offer_terms, match_gold_items, match_items, name_words,
    statement_present,
)

SECTIONS = ("ik_wil", "ik_kan", "ik_heb_nodig", "afspraken")
MATCHING_UITLEG = (
    "Hoe gegenereerde uitspraken aan de gouden annotatie gekoppeld worden (zonder taalmodel als rechter): beide teksten "
    "worden genormaliseerd (kleine letters, leestekens weg, getallen als woorden), placeholders zoals [INWONER], "
    "namen uit CASE.json en stopwoorden vallen weg, de overige woorden worden gestemd (Snowball, Nederlands). "
    "De overeenkomst is de Dice-coëfficiënt van die woordstammen (2 × gedeeld / totaal). Per sectie worden paren "
    "één-op-één gevormd, hoogste overeenkomst eerst, vanaf de drempel; gouden items zonder paar zijn omissies. "
    "Per sample staan alle paren met de gedeelde woorden in results.json (details van de recall-scores). "
    "Lexicale overeenkomst mist parafrasen ('eenzaam' tegenover 'weinig contact'): de recall wordt dan eerder te "
    "laag dan te hoog geschat."
)
GOUD_MATCHER_UITLEG = (
    f"Maat 'gouden items gevonden' (strenger, met bronnen): een gouden item uit ik_wil, ik_kan, ik_heb_nodig of "
    f"afspraken telt als gevonden wanneer een concept-item in dezelfde sectie (1) hoogstens {MAX_CITED} segmenten als "
    f"bron noemt, (2) minstens één bron heeft binnen {TURN_TOLERANCE} beurt van een beurt van het gouden item, en "
    "(3) minstens één inhoudswoord (gestemd, zonder stopwoorden, placeholders en namen) met het gouden item deelt. "
    "Paren zijn één-op-één (meeste gedeelde woorden eerst), zodat één breed item niet voor meerdere gouden items telt. "
    "Een item dat een heel blok van het gesprek citeert, vindt dus niets, hoe goed de tekst ook lijkt."
)
SMALL_MODEL_NOTE = (
    "Het meegeleverde taalmodel (Qwen2.5-Coder 1,5B, gekwantiseerd) is bedoeld om de keten te testen, niet om "
    "bruikbare verslagen te schrijven. Dat het de verslagcriteria niet haalt, is verwacht en bedoeld: de criteria "
    "zijn streng gekozen. Een regio die een groter lokaal model inzet, draait dezelfde suite om te zien of dat "
    "model wel voldoet."
)


class VerslagSuiteOptions(BaseModel):
    """Options of the verslag suite (``[suites.verslag]`` in ``--config``)."""

    model_config = ConfigDict(extra="forbid")

    match_threshold: float = 0.35
    """Minimal Dice similarity of content stems to pair a generated item with a gold item."""
    support_threshold: float = 0.35
    """Minimal similarity with some gold-transcript segment for an unmatched item to count as supported."""
    forbidden_threshold: float = 0.6
    """Minimal similarity for a "must not appear" statement to count as present."""
    show_text: bool | None = None
    """Quote item texts in results.json and the report. Default: only for synthetic datasets; on a
    region's own conversations items are referred to by position (``goud ik_wil[2]``), because gold
    annotations and drafts can hold personal data."""


# --- solver ---------------------------------------------------------------------------------------


def draft_from_gold_transcript(ctx: EvalContext):
    """Solver: gold transcript -> de-identification -> draft verslag with the configured LLM.

    Starting from the gold transcript isolates the drafting stage from speech-recognition errors
    (the e2e suite measures the whole chain).
    """
    from pipeline.deid import deidentify
    from pipeline.stage_options import draft_options
    from pipeline.verslag import draft_verslag

    def solve(state: TaskState) -> None:
        case = case_of(state)
        started = time.perf_counter()
        pseudo = deidentify(gold_transcript(state), case, ctx.backends.deid_engine, ctx.backends.deid_options).pseudonymised
        state.timings["deidentify"] = time.perf_counter() - started
        llm = ctx.backends.llm
        ctx.record_model("llm", llm.model_ref)
        started = time.perf_counter()
        verslag = draft_verslag(pseudo, llm, draft_options(ctx.settings),
                                embedder=ctx.backends.embedder)
        state.timings["verslag"] = time.perf_counter() - started
        if verslag.draft is not None:
            ctx.prompt_versions.update(verslag.draft.prompt_versions)
        state.output["pseudo"] = pseudo
        state.output["verslag"] = verslag

    return solve


# --- helpers --------------------------------------------------------------------------------------


def _show(state: TaskState, text: str, label: str) -> str:
    """``text`` quoted when texts may be shown (synthetic data or ``show_text``), else ``label``."""
    return f"'{text}'" if state.cache.get("show_text", state.dataset.synthetic) else label


def show_text_solver(options: VerslagSuiteOptions):
    """Solver that records the ``show_text`` choice for the scorers (no-op when left automatic)."""
    def solve(state: TaskState) -> None:
        if options.show_text is not None:
            state.cache["show_text"] = options.show_text
    return solve


def _gold(state: TaskState) -> dict[str, Any]:
    return read_json_file(state, "target")


def _gold_texts(value: Any) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [i["tekst"] if isinstance(i, dict) else str(i) for i in items]


def _names(state: TaskState) -> frozenset[str]:
    if "names" not in state.cache:
        case = case_of(state)
        people = ([case.inwoner.naam] if case.inwoner else []) + [n.naam for n in case.naasten] + \
                 [p.naam for p in case.professionals] + ([case.huisarts.naam] if case.huisarts else [])
        state.cache["names"] = name_words(people)
    return state.cache["names"]


def _section_texts(verslag: Any, section: str) -> list[str]:
    value = getattr(verslag, section)
    items = value if isinstance(value, list) else ([] if value is None else [value])
    return [i.tekst for i in items]


def _all_generated(verslag: Any) -> list[tuple[str, str]]:
    return [(path, item.tekst) for path, item in verslag.iter_items()]


# --- scorers --------------------------------------------------------------------------------------


def section_recall(section: str, threshold: float):
    @scorer(name=f"verslag/recall_{section}", aggregate="ratio",
            description=f"Aandeel gouden '{section.replace('_', ' ')}'-items dat in het concept terugkomt (1 − omissies).")
    def factory():
        def score(state: TaskState) -> Score | None:
            gold = _gold_texts(_gold(state).get(section))
            if not gold:
                return None
            generated = _section_texts(state.output["verslag"], section)
            matches = match_items(generated, gold, threshold, _names(state))
            matched = {m.gold for m in matches}
            missed = [_show(state, g, f"goud {section}[{j}]") for j, g in enumerate(gold) if j not in matched]
            pairs = [f"{_show(state, generated[m.generated], f'{section}[{m.generated}]')} ~ "
                     f"{_show(state, gold[m.gold], f'goud {section}[{m.gold}]')} (Dice {m.similarity:.2f}; "
                     f"gedeeld: {', '.join(m.shared) if state.cache.get('show_text', state.dataset.synthetic) else len(m.shared)})"
                     for m in matches]
            return Score(value=len(matches) / len(gold), numerator=len(matches), denominator=len(gold),
                         answer=f"{len(generated)} gegenereerd", details={"paren": pairs, "gemist": missed},
                         explanation=f"{len(matches)} van {len(gold)} gevonden" + (f"; gemist: {'; '.join(missed)}" if missed else ""))
        return score
    return factory()


def _section_items(verslag: Any, section: str) -> list[tuple[str, list[int]]]:
    value = getattr(verslag, section)
    items = value if isinstance(value, list) else ([] if value is None else [value])
    return [(i.tekst, list(i.bronnen)) for i in items]


def gold_found(sections: tuple[str, ...], name: str, description: str):
    @scorer(name=name, aggregate="ratio", description=description)
    def factory():
        def score(state: TaskState) -> Score | None:
            gold_data, verslag = _gold(state), state.output["verslag"]
            total = found = 0
            pairs: list[str] = []
            missed: list[str] = []
            for section in sections:
                gold = gold_items(gold_data.get(section))
                generated = _section_items(verslag, section)
                hits = match_gold_items(gold, generated, _names(state))
                total += len(gold)
                found += len(hits)
                got = {h.gold for h in hits}
                for h in hits:
                    pairs.append(f"{section}: {_show(state, generated[h.generated][0], f'{section}[{h.generated}]')} "
                                 f"(bronnen {generated[h.generated][1]}) ~ goud {section}[{h.gold}] "
                                 f"(beurten {gold[h.gold][1]}; afstand {h.distance}; gedeeld: {', '.join(h.shared)})")
                missed += [f"goud {section}[{j}]" for j in range(len(gold)) if j not in got]
            if not total:
                return None
            return Score(value=found / total, numerator=found, denominator=total,
                         details={"paren": pairs, "gemist": missed},
                         explanation=f"{found} van {total} gevonden" + (f"; gemist: {', '.join(missed)}" if missed else ""))
        return score
    return factory()


@scorer(name="verslag/niet_onderbouwd", aggregate="ratio", lower_is_better=True,
        description="Aandeel uitspraken dat de automatische brontoets (grounding) als niet onderbouwd markeert.")
def not_grounded():
    def score(state: TaskState) -> Score | None:
        items = [(p, i) for p, i in state.output["verslag"].iter_items() if i.status != "handmatig"]
        if not items:
            return Score(value=None, explanation="concept bevat geen uitspraken", numerator=0, denominator=0)
        bad = [p for p, i in items if i.status == "niet_onderbouwd"]
        return Score(value=len(bad) / len(items), numerator=len(bad), denominator=len(items),
                     explanation=f"{len(bad)} van {len(items)} niet onderbouwd" + (f": {', '.join(bad[:8])}" if bad else ""))
    return score


@scorer(name="verslag/zonder_steun_goud", aggregate="ratio", lower_is_better=True,
        description="Aandeel uitspraken dat met geen enkel gouden item en met geen enkele beurt van het gouden transcript overeenkomt.")
def unsupported_by_gold(threshold: float, support_threshold: float):
    def score(state: TaskState) -> Score | None:
        gold = _gold(state)
        gold_all = [t for s in ("hulpvraag", *SECTIONS, "regie", "overbrugging", "evaluatiemoment", "vragen_naar")
                    for t in _gold_texts(gold.get(s))]
        turns = [s.text for s in gold_transcript(state).segments]
        generated = [(p, t) for p, t in _all_generated(state.output["verslag"]) if not p.startswith(("uitkomst", "ggz_verwijzing"))]
        if not generated:
            return None
        names = _names(state)
        unsupported = []
        for path, text in generated:
            g_sim, _ = best_similarity(text, gold_all, names)
            t_sim, _ = best_similarity(text, turns, names)
            if g_sim < threshold and t_sim < support_threshold:
                unsupported.append(f"{path}: {_show(state, text, '(tekst verborgen)')} (goud {g_sim:.2f}, transcript {t_sim:.2f})")
        return Score(value=len(unsupported) / len(generated), numerator=len(unsupported), denominator=len(generated),
                     details={"zonder_steun": unsupported},
                     explanation=f"{len(unsupported)} van {len(generated)} zonder steun" + (f": {unsupported[0]}" if unsupported else ""))
    return score


@scorer(name="verslag/verboden_uitspraken", aggregate="ratio", lower_is_better=True,
        description="Aandeel 'mag niet voorkomen'-uitspraken uit de annotatie dat toch in het concept staat.")
def forbidden_statements(threshold: float):
    def score(state: TaskState) -> Score | None:
        statements = _gold(state).get("mag_niet_voorkomen", [])
        if not statements:
            return None
        generated = [t for _, t in _all_generated(state.output["verslag"])]
        found = []
        for k, st in enumerate(statements):
            present, text, sim = statement_present(st, generated, threshold, _names(state))
            if present:
                found.append(f"{_show(state, st, f'verboden[{k}]')} ~ {_show(state, text or '', 'concept')} ({sim:.2f})")
        return Score(value=len(found) / len(statements), numerator=len(found), denominator=len(statements),
                     details={"gevonden": found},
                     explanation="; ".join(found) if found else f"geen van {len(statements)} verboden uitspraken gevonden")
    return score


@scorer(name="verslag/uitkomst_juist", aggregate="proportion",
        description="Aandeel gesprekken waarin de uitkomstcategorie gelijk is aan de annotatie (Wilson-interval).")
def outcome_accuracy():
    def score(state: TaskState) -> Score | None:
        expected = _gold(state).get("uitkomst")
        if expected is None:
            return None
        u = state.output["verslag"].uitkomst
        got = u.categorie if u else None
        return Score(value=got == expected, answer=got or "(leeg)", explanation=f"verwacht '{expected}', concept '{got or 'leeg'}'")
    return score


@scorer(name="verslag/ggz_verwijzing_juist", aggregate="proportion",
        description="Aandeel gesprekken waarin 'ggz-verwijzing nodig' overeenkomt met de annotatie.")
def referral_accuracy():
    def score(state: TaskState) -> Score | None:
        expected = _gold(state).get("ggz_verwijzing_nodig")
        if expected is None:
            return None
        g = state.output["verslag"].ggz_verwijzing_nodig
        got = None if g is None else g.nodig
        return Score(value=got == expected, answer=str(got), explanation=f"verwacht {expected}, concept {got}")
    return score


@scorer(name="verslag/schema_geldig", aggregate="proportion",
        description="Aandeel secties waarvan de modeluitvoer aan het schema voldeed (niet leeg gelaten na mislukte pogingen); het concept zelf valideert opnieuw.")
def schema_validity():
    def score(state: TaskState) -> Score:
        from pipeline.verslag import Verslag

        verslag = state.output["verslag"]
        revalidates = True
        try:
            Verslag.model_validate_json(verslag.model_dump_json())
        except ValueError:
            revalidates = False
        runs = verslag.draft.secties if verslag.draft else []
        failed = [r.sectie for r in runs if r.status == "leeg_na_fouten"]
        if not runs:  # no section diagnostics (e.g. an imported verslag.json): the whole draft counts once
            ok, total = int(revalidates), 1
        else:
            ok, total = (sum(1 for r in runs if r.status == "ok") if revalidates else 0), len(runs)
        return Score(value=ok / total, numerator=ok, denominator=total,
                     explanation=("concept valideert niet opnieuw; " if not revalidates else "") +
                     (f"leeg na fouten: {', '.join(failed)}" if failed else f"{ok} van {total} secties geldig"))
    return score


@scorer(name="verslag/ik_wil_zorgaanbod", aggregate="ratio", lower_is_better=True,
        description="Aandeel 'ik wil'-items dat een zorgaanbod of oplossing noemt (mag volgens de Samenwerkwijze nooit).")
def ik_wil_is_no_care_offer():
    def score(state: TaskState) -> Score | None:
        items = _section_texts(state.output["verslag"], "ik_wil")
        if not items:
            return Score(value=None, numerator=0, denominator=0, explanation="geen ik-wil-items")
        bad = [f"{_show(state, t, f'ik_wil[{k}]')} ({', '.join(care_offer_terms(t))})" for k, t in enumerate(items) if care_offer_terms(t)]
        return Score(value=len(bad) / len(items), numerator=len(bad), denominator=len(items),
                     explanation="; ".join(bad) if bad else f"geen zorgaanbod in {len(items)} items")
    return score


LETTER_QUESTIONS = ("wie", "wat", "waar", "wanneer", "regie", "vragen")


def letter_answers(verslag: Any) -> dict[str, bool]:
    """Which of the national questions (wie/wat/waar/wanneer/regie/vragen) the verslag answers."""
    a = verslag.afspraken
    return {
        "wie": any(x.wie for x in a),
        "wat": any(x.wat or x.ondersteuning_naam for x in a),
        "waar": any(x.waar or x.ondersteuning_naam for x in a),
        "wanneer": any(x.wanneer for x in a) or bool(verslag.evaluatiemoment and (verslag.evaluatiemoment.wanneer or verslag.evaluatiemoment.tekst)),
        "regie": bool(verslag.regie and (verslag.regie.wie or verslag.regie.tekst)),
        "vragen": bool(verslag.vragen_naar and verslag.vragen_naar.tekst),
    }


@scorer(name="verslag/brief_volledig", aggregate="mean",
        description="Aandeel van de zes vragen (wie, wat, waar/loket, wanneer, regie, waar met vragen) dat het advies beantwoordt.")
def letter_completeness():
    def score(state: TaskState) -> Score:
        answers = letter_answers(state.output["verslag"])
        missing = [k for k, v in answers.items() if not v]
        return Score(value=sum(answers.values()) / len(answers), details=answers,
                     explanation=f"ontbreekt: {', '.join(missing)}" if missing else "alle zes beantwoord")
    return score


@scorer(name="verslag/persoonsgegevens_in_concept", aggregate="ratio", lower_is_better=True,
        description="Aandeel geannoteerde persoonsgegevens dat letterlijk in het (gepseudonimiseerde) concept staat.")
def personal_data_in_draft():
    norm = DutchNormaliser()

    def score(state: TaskState) -> Score | None:
        entries = _gold(state).get("persoonsgegevens", [])
        if not entries:
            return None
        text = " " + norm(" ".join(t for _, t in _all_generated(state.output["verslag"]))) + " "
        leaked = [e.get("type", "?") for e in entries if f" {norm(e['tekst'])} " in text]
        return Score(value=len(leaked) / len(entries), numerator=len(leaked), denominator=len(entries),
                     explanation=f"{len(leaked)} van {len(entries)} gevonden" + (f" (typen: {', '.join(leaked)})" if leaked else ""))
    return score


def verslag_scorers(options: VerslagSuiteOptions) -> list:
    return [
        *(section_recall(s, options.match_threshold) for s in SECTIONS),
        gold_found(SECTIONS, "verslag/goud_gevonden",
                   "Aandeel gouden ik wil/ik kan/ik heb nodig/afspraken-items gevonden door een concept-item met hoogstens "
                   "6 bronnen, waarvan één binnen één beurt van het gouden item, dat inhoudswoorden deelt."),
        *(gold_found((s,), f"verslag/goud_gevonden_{s}", f"Als goud_gevonden, alleen sectie {s}.") for s in SECTIONS),
        not_grounded(), unsupported_by_gold(options.match_threshold, options.support_threshold),
        forbidden_statements(options.forbidden_threshold), outcome_accuracy(), referral_accuracy(),
        schema_validity(), ik_wil_is_no_care_offer(), letter_completeness(), personal_data_in_draft(),
    ]


@suite("verslag", default_data=DEV_DIR, description="Conceptverslag tegen gouden annotaties")
def verslag_suite(ctx: EvalContext, dataset: Dataset) -> Task:
    options: VerslagSuiteOptions = ctx.options("verslag", VerslagSuiteOptions)  # type: ignore[assignment]
    notes = [MATCHING_UITLEG, GOUD_MATCHER_UITLEG]
    from models.registry import bundled_models

    if ctx.settings.llm_model in bundled_models():
        notes.append(SMALL_MODEL_NOTE)
    return Task(
        name="verslag", dataset=dataset, solver=[show_text_solver(options), draft_from_gold_transcript(ctx)], scorer=verslag_scorers(options),
        metadata={"opties": options.model_dump(), "toelichting": notes, "invoer": "gouden transcript"},
        limitations=[
            "De gouden annotaties zijn door één persoon gemaakt, zonder tweede annotator: de annotatie zelf kan "
            "onvolledig zijn. Een concept-uitspraak zonder gouden tegenhanger is daarom niet per se verzonnen; de "
            "maat 'zonder_steun_goud' telt alleen uitspraken die ook in het transcript geen steun hebben.",
        ] + (["De gesprekken zijn geschreven scenario's: korter, netter en explicieter dan echte VG's."] if dataset.synthetic else []),
    )
