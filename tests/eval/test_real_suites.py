"""Real components on small real inputs: de-identification (Presidio + Deduce) on the pii set, the
sociale-kaart matcher on the gold needs, the verslag and e2e suites through the real
de-identification, kaart and rendering stages (fake ASR/LLM: their real runs are too slow for CI),
and Whisper base on one minute of a dev conversation."""

import json
import shutil
import subprocess

import pytest

from eval.runner import run_eval
from eval.suites.base import EvalConfig
from models.asr import AsrSegment
from models.asr_faster_whisper import FakeASR
from models.llm.fake import FakeLLM
from pipeline.backends import Backends
from core.settings import Settings

from .conftest import DEV

pytestmark = pytest.mark.slow


def test_pii_kaart_verslag_e2e_suites(tmp_path):
    gold = json.loads((DEV / "vg06" / "transcript.gold.json").read_text())
    asr = FakeASR([AsrSegment(start=s["start"], end=s["end"], text=s["text"]) for s in gold["segments"]])
    settings = Settings(asr_backend="fake", llm_backend="fake", diarization_backend="none",
                        data_dir=tmp_path / "data", vault_key="0" * 43 + "=",
                        draft_mode="sections")  # the fake answers every section with "nothing found"
    log = run_eval(["pii", "kaart", "verslag", "e2e"], tmp_path / "out", config=EvalConfig(samples=["vg06"]),
                   backends=Backends(settings, asr=asr, llm=FakeLLM()))
    pii, kaart, verslag, e2e = log.tasks
    assert verslag.errors == 0 and e2e.errors == 0
    # The fake LLM answers "nothing found": an honest empty draft that misses every gold item.
    assert verslag.metrics["verslag/recall_ik_wil"].value == 0.0
    assert verslag.metrics["verslag/schema_geldig"].value == 1.0
    assert e2e.metrics["asr/wer"].value == 0.0 and e2e.metrics["e2e/brief_gemaakt"].value == 1.0
    assert set(e2e.samples[0].timings) >= {"transcript", "deidentify", "verslag", "render"}
    assert not list((tmp_path / "out").glob("**/advies-huisarts*")), "no letter (personal data) in eval output"
    assert len(pii.samples) >= 150 and pii.errors == 0
    assert 0.9 <= pii.metrics["pii/recall_persoon"].value <= 1.0
    assert pii.metrics["pii/lek_harde_identificatoren"].ci_low is not None
    assert 0.0 < kaart.metrics["kaart/mrr"].value <= 1.0 and kaart.errors == 0
    statuses = {c.id: c.status for c in log.criteria}
    assert statuses["asr-wer"] == "niet gemeten" and statuses["verslag-uitkomst"] == "gezakt"
    assert (tmp_path / "out" / "report.html").stat().st_size > 10_000


def one_minute_of(sample_id: str, tmp_path):
    src = DEV / sample_id
    subprocess.run([shutil.which("sox"), str(src / "audio.ogg"), str(tmp_path / "audio.ogg"), "trim", "0", "60"], check=True)
    gold = json.loads((src / "transcript.gold.json").read_text())
    gold["segments"] = [s for s in gold["segments"] if s["end"] <= 60.0]
    gold["duration"] = 60.0
    (tmp_path / "transcript.gold.json").write_text(json.dumps(gold))
    row = {"id": sample_id, "input": "audio.ogg", "files": {"transcript": "transcript.gold.json"}, "metadata": {"synthetic": True}}
    (tmp_path / "samples.jsonl").write_text(json.dumps(row) + "\n")
    return tmp_path


def test_asr_suite_with_whisper_base_on_one_minute(tmp_path):
    data = one_minute_of("vg02", tmp_path / "data" if (tmp_path / "data").mkdir() is None else None)
    log = run_eval(["asr"], tmp_path / "out", data=data, backends=Backends(Settings()))
    task = log.tasks[0]
    assert task.errors == 0
    assert log.config.models[0].name == "whisper-base" and log.config.models[0].sha256
    wer = task.metrics["asr/wer"].value
    assert 0.0 < wer < 1.0, "Whisper recognised some of the synthetic speech, not all of it"
    assert task.metrics["asr/cer"].value < wer
    assert "inwoner" in task.samples[0].scores["asr/wer_inwoner"].details["per_rol"]
    assert task.metrics["asr/rtf"].value > 0  # speed is measured in bench/, not asserted in tests
