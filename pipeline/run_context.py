"""One execution of ``vg process`` into one output directory: run.json and safe stage reuse.

Rules that keep one client's results from reaching another's (issue 10):
- a stage's cache key covers its input artefact's hash and its options object (see
  :mod:`pipeline.stage_options`), so a different recording, transcript or case never matches;
- before a stage runs, its old files and those of every later stage are removed and their keys
  dropped from ``run.json``, so an interrupted or failed stage leaves nothing from before;
- a key is recorded only after its stage succeeded and its files were written;
- each key includes the previous stage's key, so what follows a recomputed stage is recomputed too.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from core.errors import VGError
from core.files import read_private_text, remove_files, write_private_text
from core.provenance import StageInfo
from pipeline.artefacts import RUN_FILE, STAGE_FILES, STAGES
from pipeline.measure import measure

logger = logging.getLogger(__name__)

RUN_SCHEMA_VERSION = 2
T = TypeVar("T")
Progress = Callable[[str, str], None]
"""``progress(stage, message)``: called when a stage starts, is reused or finishes."""


class StageElsewhere(Exception):  # noqa: N818 - control flow, not an error
    """The next stage must be computed, but not in this process (``runs_here`` excludes it).

    Raised before anything of that stage is touched; the caller hands the job to a worker that can.
    """

    def __init__(self, stage: str) -> None:
        super().__init__(stage)
        self.stage = stage


class RunRecord(BaseModel):
    model_config = ConfigDict(extra="forbid", protected_namespaces=())

    schema_version: int = RUN_SCHEMA_VERSION
    input: dict[str, Any]
    started: str
    finished: str | None = None
    status: str = "started"
    stages: list[StageInfo] = Field(default_factory=list)
    cache_keys: dict[str, str] = Field(default_factory=dict)
    """Stage -> key, written only after the stage succeeded."""
    outputs: dict[str, str] = Field(default_factory=dict)
    packages: dict[str, str] = Field(default_factory=dict)
    machine: dict[str, Any] = Field(default_factory=dict)


def cache_key(stage: str, input_sha256: str, options: BaseModel, *extra: str | None) -> str:
    """Key of one stage: its name, the input artefact's hash, its options' dump, extra hashes."""
    blob = json.dumps([stage, input_sha256, options.model_dump(mode="json"), list(extra)], sort_keys=True)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def previous_keys(out_dir: Path) -> dict[str, str]:
    try:
        keys = json.loads(read_private_text(out_dir / RUN_FILE))["cache_keys"]
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return {}
    return {k: v for k, v in keys.items() if isinstance(k, str) and isinstance(v, str)} if isinstance(keys, dict) else {}


class RunContext:
    def __init__(self, out_dir: Path, record: RunRecord, progress: Progress, *, reuse: bool,
                 runs_here: Collection[str] | None = None) -> None:
        self.out = out_dir
        self.runs_here = runs_here
        self.record = record
        self.progress = progress
        self.previous = previous_keys(out_dir) if reuse else {}

    def stage(
        self,
        name: str,
        key: str,
        compute: Callable[[StageInfo], T],
        save: Callable[[T], None],
        load: Callable[[], T],
        required: tuple[str, ...],
    ) -> T:
        """Reuse the stage's files when its key and files match, else clear and (re)compute it."""
        if self.previous.get(name) == key and all((self.out / f).is_file() for f in required):
            try:
                result = load()
            except (VGError, ValidationError, ValueError, OSError) as exc:
                logger.warning("stage %s: previous output unreadable (%s); running it again", name, type(exc).__name__)
            else:
                self.record.cache_keys[name] = key
                self.record.stages.append(StageInfo(stage=name, reused=True, input_sha256=key))
                self.progress(name, "hergebruikt")
                return result
        if self.runs_here is not None and name not in self.runs_here:
            raise StageElsewhere(name)
        self.invalidate_from(name)
        self.progress(name, "bezig")
        info = StageInfo(stage=name, input_sha256=key)
        with measure() as m:
            result = compute(info)
            save(result)
        info.wall_seconds = round(m.wall_seconds, 3)
        info.peak_rss_mb = m.peak_rss_mb
        self.record.stages.append(info)
        self.record.cache_keys[name] = key  # only now: the stage succeeded and its files are written
        self.save_record()
        self.progress(name, f"klaar ({m.wall_seconds:.1f} s)")
        return result

    def key_of(self, name: str) -> str:
        """The key of a stage that ran or was reused in this run: part of every later stage's key,
        so a recomputed stage always recomputes what follows it."""
        return self.record.cache_keys[name]

    def invalidate_from(self, name: str) -> None:
        """Remove the files and keys of ``name`` and every later stage, and say so in run.json first."""
        later = STAGES[STAGES.index(name):]
        for stage in later:
            self.previous.pop(stage, None)
            self.record.cache_keys.pop(stage, None)
        self.save_record()
        for stage in later:
            removed = remove_files(self.out, STAGE_FILES[stage])
            for file_name in removed:
                self.record.outputs = {k: v for k, v in self.record.outputs.items() if v != file_name}

    def save_record(self) -> None:
        write_private_text(self.out / RUN_FILE, self.record.model_dump_json(indent=2))
