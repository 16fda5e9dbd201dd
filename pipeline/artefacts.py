"""The files of one ``vg process`` output directory and how each artefact is read and written.

Every file is private (0600, in a 0700 directory) and written atomically. The raw transcript holds
personal data in the clear, so unless the user asks to keep it (``--keep-raw``) it is stored
encrypted with the vault key as ``transcript.json.enc``: beside the pseudonymised transcript it
would otherwise rebuild the vault's mapping without the key.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from core.files import read_private_text, remove_files, write_private_bytes, write_private_text
from pipeline.deid.vault import decrypt_file, encrypt_bytes
from pipeline.transcript import Transcript

M = TypeVar("M", bound=BaseModel)

RAW_TRANSCRIPT = "transcript.json"
RAW_TRANSCRIPT_ENCRYPTED = "transcript.json.enc"
PSEUDO_TRANSCRIPT = "transcript.pseudo.json"
VAULT_FILE = "pseudoniemen.vault"
DRAFT_FILE = "verslag.draft.json"
"""The LLM draft before sociale-kaart suggestions (input of the kaart stage)."""
VERSLAG_FILE = "verslag.json"
"""The verslag with suggestions; the reviewer edits this one."""
RENDERED_FILES = (
    "verslag.html", "advies-huisarts.html", "advies-huisarts.txt", "advies-huisarts.pdf",
    "samenvatting-b1.html", "samenvatting-b1.txt",
)
RUN_FILE = "run.json"

STAGES = ("transcript", "deidentify", "verslag", "kaart", "render")
STAGE_FILES: dict[str, tuple[str, ...]] = {
    "transcript": (RAW_TRANSCRIPT, RAW_TRANSCRIPT_ENCRYPTED),
    "deidentify": (PSEUDO_TRANSCRIPT, VAULT_FILE),
    "verslag": (DRAFT_FILE,),
    "kaart": (VERSLAG_FILE,),
    "render": RENDERED_FILES,
}
"""Files each stage writes, in stage order: a stage that runs first removes its own and all later ones."""


def artefact_sha256(model: BaseModel) -> str:
    """Hash of an artefact's content: the input part of the next stage's cache key."""
    return hashlib.sha256(model.model_dump_json().encode("utf-8")).hexdigest()


def write_model(path: Path, model: BaseModel) -> Path:
    return write_private_text(path, model.model_dump_json(indent=2))


def read_model(path: Path, model_type: type[M]) -> M:
    return model_type.model_validate_json(read_private_text(path))


def save_raw_transcript(out_dir: Path, transcript: Transcript, key: bytes, *, keep_raw: bool) -> str:
    """Store the raw transcript encrypted (default) or, with ``keep_raw``, as plaintext; remove the other form."""
    data = transcript.model_dump_json(indent=2).encode("utf-8")
    if keep_raw:
        write_private_bytes(out_dir / RAW_TRANSCRIPT, data)
        remove_files(out_dir, (RAW_TRANSCRIPT_ENCRYPTED,))
        return RAW_TRANSCRIPT
    write_private_bytes(out_dir / RAW_TRANSCRIPT_ENCRYPTED, encrypt_bytes(data, key))
    remove_files(out_dir, (RAW_TRANSCRIPT,))
    return RAW_TRANSCRIPT_ENCRYPTED


def load_raw_transcript(out_dir: Path, key: bytes) -> Transcript:
    """The raw transcript of a previous run, whichever form it was stored in."""
    encrypted = out_dir / RAW_TRANSCRIPT_ENCRYPTED
    if encrypted.is_file():
        return Transcript.model_validate_json(decrypt_file(encrypted, key))
    return read_model(out_dir / RAW_TRANSCRIPT, Transcript)


def has_raw_transcript(out_dir: Path) -> bool:
    return (out_dir / RAW_TRANSCRIPT_ENCRYPTED).is_file() or (out_dir / RAW_TRANSCRIPT).is_file()
