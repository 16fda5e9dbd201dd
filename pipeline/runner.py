"""Orchestration of ``vg process``: input -> transcript -> pseudonymised transcript -> verslag ->
verslag with sociale-kaart suggestions -> letters.

Each artefact is written (0600, atomically) as soon as its stage finishes. ``run.json`` records per
stage the wall time, peak memory, models (with SHA-256), prompt versions, options and a cache key;
a re-run with the same ``--out`` reuses every stage whose key did not change. Keys and the removal
of stale files follow :mod:`pipeline.run_context`; the options behind each key come from
:mod:`pipeline.stage_options`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Collection
from pathlib import Path

from core.errors import InputError
from core.files import private_dir
from pipeline import stages
from pipeline.artefacts import (
    DRAFT_FILE,
    PSEUDO_TRANSCRIPT,
    RAW_TRANSCRIPT,
    RAW_TRANSCRIPT_ENCRYPTED,
    RENDERED_FILES,
    RUN_FILE,
    STAGE_FILES,
    VAULT_FILE,
    VERSLAG_FILE,
    artefact_sha256,
    load_raw_transcript,
    read_model,
    save_raw_transcript,
    write_model,
)
from pipeline.audio import file_sha256
from pipeline.backends import Backends
from pipeline.case import CaseMetadata
from pipeline.deid.vault import load_vault, save_vault
from pipeline.measure import machine_info, package_versions
from pipeline.render import RenderedLetters
from pipeline.run_context import Progress, RunContext, RunRecord, StageElsewhere, cache_key
from pipeline.stage_options import ProcessOptions, build_stage_options, catalogue_identity, process_options
from pipeline.transcript import PseudonymisedTranscript, Transcript
from pipeline.verslag import Verslag

logger = logging.getLogger(__name__)


def run_pipeline(
    input_path: Path,
    out_dir: Path,
    *,
    case: CaseMetadata,
    backends: Backends,
    options: ProcessOptions | None = None,
    progress: Progress | None = None,
    runs_here: Collection[str] | None = None,
) -> RunRecord:
    """Run every stage for one VG. Returns the run record (also written as ``run.json``).

    ``runs_here``: the stages this process may compute (default all). Finished stages are reused
    regardless; the first stage that must be computed but is not listed raises
    :class:`~pipeline.run_context.StageElsewhere` so a capable worker can take over.
    """
    _refuse_own_output_as_input(input_path, out_dir)
    process = options or process_options(backends.settings)
    if process.suggest_services:
        _ = backends.catalogue  # opened (and seeded on first use) before its file is hashed into the kaart key
    opts = build_stage_options(backends.settings, process)
    report = progress or (lambda _s, _m: None)
    private_dir(out_dir, tighten_existing=True)
    input_sha = file_sha256(input_path) if input_path.is_file() else "missing"
    record = RunRecord(
        input={"filename": input_path.name, "sha256": input_sha},
        started=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        packages=package_versions(),
        machine=machine_info(),
    )
    run = RunContext(out_dir, record, report, reuse=process.reuse, runs_here=runs_here)
    case_sha = artefact_sha256(case)
    key = backends.vault_key
    try:
        # 1-2. transcript (audio + transcription + diarization, or an imported transcript)
        raw: Transcript = run.stage(
            "transcript", cache_key("transcript", input_sha, opts.transcript, case_sha),
            lambda info: stages.make_transcript(input_path, case, backends, opts.transcript, info, report),
            save=lambda t: save_raw_transcript(out_dir, t, key, keep_raw=opts.keep_raw) and None,
            load=lambda: load_raw_transcript(out_dir, key),  # either form; unreadable -> run again
            required=(),
        )
        wanted = RAW_TRANSCRIPT if opts.keep_raw else RAW_TRANSCRIPT_ENCRYPTED
        if not (out_dir / wanted).is_file():  # --keep-raw switched on or off since the last run
            save_raw_transcript(out_dir, raw, key, keep_raw=opts.keep_raw)
        record.outputs["transcript"] = wanted
        # Confirmed roles: a cheap step, so changing them never re-runs transcription.
        transcript = stages.apply_roles(raw, opts.role_overrides)

        # 3. de-identification
        deid = run.stage(
            "deidentify", cache_key("deidentify", artefact_sha256(transcript), opts.deidentify, case_sha,
                                    run.key_of("transcript")),
            lambda info: stages.deidentify(transcript, case, backends, opts.deidentify, info, VAULT_FILE),
            save=lambda d: (save_vault(d.mapping, out_dir / VAULT_FILE, key),
                            write_model(out_dir / PSEUDO_TRANSCRIPT, d.pseudo)) and None,
            load=lambda: stages.Deidentified(pseudo=read_model(out_dir / PSEUDO_TRANSCRIPT, PseudonymisedTranscript),
                                             mapping=load_vault(out_dir / VAULT_FILE, key)),
            required=(PSEUDO_TRANSCRIPT, VAULT_FILE),
        )
        record.outputs["transcript_pseudo"] = PSEUDO_TRANSCRIPT

        # 4. draft verslag (LLM) with grounding
        drafted: Verslag = run.stage(
            "verslag", cache_key("verslag", artefact_sha256(deid.pseudo), opts.verslag, run.key_of("deidentify")),
            lambda info: stages.draft(deid.pseudo, backends, opts.verslag, info, report),
            save=lambda v: write_model(out_dir / DRAFT_FILE, v) and None,
            load=lambda: read_model(out_dir / DRAFT_FILE, Verslag),
            required=(DRAFT_FILE,),
        )

        # 5. sociale-kaart suggestions (Verslag -> Verslag)
        verslag: Verslag = run.stage(
            "kaart", cache_key("kaart", artefact_sha256(drafted), opts.kaart, case_sha, run.key_of("verslag"),
                               catalogue_identity(backends.catalogue.sources()) if opts.kaart.enabled else None),
            lambda info: stages.suggest_services(drafted, case, backends, opts.kaart, info, report),
            save=lambda v: write_model(out_dir / VERSLAG_FILE, v) and None,
            load=lambda: read_model(out_dir / VERSLAG_FILE, Verslag),
            required=(VERSLAG_FILE,),
        )
        record.outputs["verslag"] = VERSLAG_FILE

        # 6. B1 summary and letters. The verslag is hashed as read back from verslag.json: a
        # reviewer who edits it (accepts a suggestion, corrects an item) and runs again gets new letters.
        rendered = _rendered_names(opts.render.render.pdf)
        letters: RenderedLetters = run.stage(
            "render", cache_key("render", artefact_sha256(verslag), opts.render, case_sha, artefact_sha256(deid.pseudo),
                                run.key_of("kaart")),
            lambda info: stages.render(verslag, case, deid.mapping, backends, opts.render, out_dir, info, report),
            save=lambda _letters: None,
            load=lambda: stages.reuse_rendered(out_dir, rendered),
            required=rendered,
        )
        for name in letters.names:
            record.outputs[name] = name
        record.status = "success"
    except StageElsewhere as handed_off:
        record.status = f"handed-off:{handed_off.stage}"
        raise
    except BaseException:
        record.status = "error"
        raise
    finally:
        record.finished = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        run.save_record()
    return record


def _refuse_own_output_as_input(input_path: Path, out_dir: Path) -> None:
    """A run removes its old artefacts before recomputing them: the input must not be one of them."""
    produced = {name for files in STAGE_FILES.values() for name in files} | {RUN_FILE}
    if input_path.name in produced and input_path.resolve().parent == out_dir.resolve():
        raise InputError(
            f"{input_path.name} is een uitvoerbestand van deze map en kan daar niet opnieuw als invoer dienen.",
            hint="Kopieer het bestand naar een andere map of kies een andere uitvoermap (--out).",
        )


def _rendered_names(pdf: bool) -> tuple[str, ...]:
    return tuple(n for n in RENDERED_FILES if pdf or not n.endswith(".pdf"))


__all__ = ["ProcessOptions", "RunRecord", "StageElsewhere", "run_pipeline"]
