"""Build the synthetic development set (``eval/data/dev``) from its conversation scripts.

Each conversation directory holds what a person wrote (``script.yaml``, ``gold.json``,
``case.json``) and what this module generates from it with ``eval.synthesis``
(``audio.ogg``, ``transcript.gold.json``, ``reference.rttm``, ``transcript.txt``,
``transcript.vtt``); ``samples.jsonl`` indexes them. Regenerate after editing a script::

    python -m eval.devset [--only vg03]

Everything in this set is fictional and marked ``synthetic``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from core.resources import package_path

DEV_DIR = package_path("eval", "data", "dev")
#: Conversations recorded "hybrid": the call participant on its own channel.
STEREO_HYBRID = frozenset({"vg03"})


def sample_row(conversation: Path) -> dict:
    """The ``samples.jsonl`` line of one conversation directory."""
    gold = json.loads((conversation / "gold.json").read_text(encoding="utf-8"))
    transcript = json.loads((conversation / "transcript.gold.json").read_text(encoding="utf-8"))
    name = conversation.name
    return {
        "id": name,
        "input": f"{name}/audio.ogg",
        "target": f"{name}/gold.json",
        "files": {
            "transcript": f"{name}/transcript.gold.json",
            "case": f"{name}/case.json",
            "rttm": f"{name}/reference.rttm",
            "script": f"{name}/script.yaml",
        },
        "metadata": {
            "synthetic": True,
            "regio": gold.get("regio"),
            "gemeente": gold.get("gemeente"),
            "uitkomst": gold.get("uitkomst"),
            "layout": "stereo-hybrid" if name in STEREO_HYBRID else "mono",
            "duur_seconden": round(transcript["duration"], 1),
            "sprekers": len(transcript.get("speakers", {})),
        },
    }


def build(dev_dir: Path = DEV_DIR, only: list[str] | None = None) -> Path:
    from eval.synthesis import synthesize_script

    conversations = sorted(p for p in dev_dir.iterdir() if (p / "script.yaml").is_file())
    for conv in conversations:
        if only and conv.name not in only:
            continue
        layout = "stereo-hybrid" if conv.name in STEREO_HYBRID else "mono"
        synthesize_script(conv / "script.yaml", conv, layout=layout, recording_id=conv.name)
    rows = [sample_row(conv) for conv in conversations]
    out = dev_dir / "samples.jsonl"
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.devset", description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=DEV_DIR)
    parser.add_argument("--only", nargs="*", help="conversation ids to re-synthesise (index is always rebuilt)")
    args = parser.parse_args(argv)
    print(build(args.dir, args.only))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
