"""LLM speed per backend on the bundled models: tokens/s (prompt and generation), seconds per section.

    python -m bench.bench_llm                      # llama.cpp on the bundled 1.5B GGUF (+ 0.5B if pulled)
    python -m bench.bench_llm --transformers       # also transformers on the 0.5B GGUF (dequantised; slow load)
    python -m bench.bench_llm --base-url http://127.0.0.1:8000/v1 --server-model NAME   # a local server

For each backend: load time; one plain generation (prompt tokens/s and generation tokens/s where the
backend reports them separately); then a full draft of a short built-in VG transcript (pseudonymised
text, 12 turns) with seconds, tokens and attempts per section, and the B1 summary.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from models.llm.base import GenerationRequest, LLMBackend, Message
from models.registry import bundled_models
from core.settings import Settings
from pipeline.transcript import PseudonymisedSegment, PseudonymisedTranscript
from pipeline.verslag import DraftOptions, draft_verslag, summarise_b1

TURNS = [
    ("[PERSOON-1]", "Fijn dat u er bent. Uw huisarts vroeg om dit gesprek. Wat is voor u de vraag?"),
    ("[INWONER]", "Ik slaap slecht en pieker veel sinds ik mijn baan kwijt ben. Ik wil weer rust in mijn hoofd."),
    ("[PERSOON-2]", "Hoe gaat het met geld en met de dagen vullen?"),
    ("[INWONER]", "Er liggen rekeningen die ik niet open. Overdag zit ik vooral thuis."),
    ("[PERSOON-2]", "Wat lukt u zelf wel goed?"),
    ("[INWONER]", "Ik wandel elke dag met de hond en mijn zus [PERSOON-3] helpt met de post."),
    ("[PERSOON-1]", "Wat zou u helpen?"),
    ("[INWONER]", "Hulp bij de schulden, en iets te doen overdag, met mensen om me heen."),
    ("[PERSOON-2]", "We spreken af dat ik u volgende week aanmeld bij de schuldhulpverlening van het wijkteam."),
    ("[PERSOON-1]", "Een verwijzing naar de ggz is nu niet nodig. Ik blijf uw contactpersoon."),
    ("[PERSOON-2]", "Over zes weken kijken we samen hoe het gaat."),
    ("[INWONER]", "Dat is goed. Met vragen bel ik het wijkteam."),
]


def transcript() -> PseudonymisedTranscript:
    segments = [PseudonymisedSegment(id=i, start=i * 6.0, end=i * 6.0 + 5, speaker=who, text=text)
                for i, (who, text) in enumerate(TURNS, start=1)]
    return PseudonymisedTranscript(duration=len(TURNS) * 6.0, segments=segments)


def plain_generation(llm: LLMBackend) -> None:
    text = " ".join(t for _, t in TURNS)
    request = GenerationRequest(
        messages=[Message(role="user", content=f"Vat dit gesprek samen in drie zinnen:\n{text}")],
        max_tokens=96,
    )
    gen = llm.generate(request)
    evaluated = gen.extra.get("prompt_tokens_evaluated", gen.prompt_tokens)
    if gen.prompt_seconds and gen.generation_seconds:
        print(f"  prompt: {evaluated} tokens in {gen.prompt_seconds:.2f} s = {evaluated / gen.prompt_seconds:.1f} tok/s")
        print(f"  generation: {gen.completion_tokens} tokens in {gen.generation_seconds:.2f} s = "
              f"{gen.completion_tokens / gen.generation_seconds:.1f} tok/s")
    else:
        print(f"  prompt {gen.prompt_tokens} + generation {gen.completion_tokens} tokens in {gen.wall_seconds:.2f} s = "
              f"{gen.completion_tokens / max(gen.wall_seconds, 1e-9):.1f} generated tok/s (prompt time included)")


def draft(llm: LLMBackend, max_tokens: int) -> None:
    options = DraftOptions(max_tokens_per_section=max_tokens, max_retries=1)
    verslag = draft_verslag(transcript(), llm, options)
    info = verslag.draft
    print(f"  draft: {info.wall_seconds:.1f} s for {len(info.secties)} sections "
          f"({info.wall_seconds / len(info.secties):.1f} s/section), transcript {info.transcript_tokens} tokens")
    print(f"  {'section':<22}{'status':<16}{'tries':>6}{'s':>8}{'prompt':>8}{'gen':>6}{'gen tok/s':>11}")
    for s in info.secties:
        rate = s.completion_tokens / s.seconds if s.seconds else 0.0
        print(f"  {s.sectie:<22}{s.status:<16}{s.pogingen:>6}{s.seconds:>8.1f}{s.prompt_tokens:>8}"
              f"{s.completion_tokens:>6}{rate:>11.1f}")
    g = verslag.grounding
    print(f"  grounding: {g.onderbouwd} onderbouwd, {g.niet_onderbouwd} niet onderbouwd of {g.gecontroleerd} items")
    started = time.perf_counter()
    b1 = summarise_b1(verslag, llm, options)
    print(f"  B1 summary: {time.perf_counter() - started:.1f} s ({b1.bron}, {len(b1.punten)} points)")


def run(label: str, factory, max_tokens: int) -> None:  # noqa: ANN001
    print(f"\n--- {label}")
    started = time.perf_counter()
    llm = factory()
    print(f"  load: {time.perf_counter() - started:.1f} s")
    plain_generation(llm)
    draft(llm, max_tokens)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-tokens", type=int, default=256, help="max tokens per section")
    parser.add_argument("--context", type=int, default=4096)
    parser.add_argument("--transformers", action="store_true", help="also the transformers backend (0.5B GGUF)")
    parser.add_argument("--base-url", help="OpenAI-compatible server on your own network")
    parser.add_argument("--server-model", default="default")
    args = parser.parse_args()
    settings = Settings()
    registry = bundled_models()

    def path_of(name: str) -> Path | None:
        p = registry[name].path_in(settings.models_dir)
        return p if p.is_file() else None

    from models.llm.llama_cpp import LlamaCppBackend

    for name in ("qwen2.5-coder-1.5b-instruct", "qwen2.5-coder-0.5b-instruct"):
        path = path_of(name)
        if path is None:
            print(f"\n--- llama-cpp {name}: not present (vg models pull {name})")
            continue
        run(f"llama-cpp {name}", lambda p=path, n=name: LlamaCppBackend(p, context_tokens=args.context, model_name=n),
            args.max_tokens)
    if args.transformers:
        from models.llm.transformers_backend import TransformersBackend

        path = path_of("qwen2.5-coder-0.5b-instruct")
        if path is None:
            print("\n--- transformers: 0.5B GGUF not present")
        else:
            run("transformers qwen2.5-coder-0.5b-instruct (GGUF dequantised, CPU)",
                lambda: TransformersBackend(path, context_tokens=args.context), args.max_tokens)
    else:
        print("\n--- transformers: skipped (add --transformers; loading the 0.5B GGUF takes ~50 s)")
    if args.base_url:
        from models.llm.openai_compatible import OpenAICompatibleBackend

        run(f"openai-compatible {args.base_url}",
            lambda: OpenAICompatibleBackend(args.base_url, args.server_model, context_tokens=args.context),
            args.max_tokens)
    else:
        print("--- openai-compatible: skipped (no --base-url; no server runs on this machine)")


if __name__ == "__main__":
    main()
