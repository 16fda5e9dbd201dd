"""Sociale-kaart benchmark: import throughput and lexical query latency on 10,000 generated services.

Run: ``python -m bench.bench_kaart [--services 10000] [--queries 200]``. Services are generated
from the seed catalogue's vocabulary (names, keywords and descriptions recombined, spread over 30
gemeenten in 3 regions) so the index has realistic term statistics; the queries are the 50 gold
needs, repeated. Prints figures and ratios; asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from eval.kaart.gold import load_gold
from pipeline.kaart import KaartOptions, open_catalogue, suggest
from pipeline.kaart.hsds import Service, ServiceArea
from pipeline.kaart.importers import read_seed_csv
from pipeline.kaart.store import SEED_PATH


def generate(n: int, seed: int = 0) -> tuple[list[Service], dict[str, list[str]]]:
    rng = random.Random(seed)
    base = read_seed_csv(SEED_PATH)
    regions = {"zorgzaam": [f"Zorgdorp {i}" for i in range(10)], "gooi": [f"Gooistad {i}" for i in range(10)],
               "centraal-gelderland": [f"Veluwedorp {i}" for i in range(10)]}
    out = []
    for i in range(n):
        a, b = rng.sample(base, 2)
        region = rng.choice(list(regions))
        gemeente = rng.choice(regions[region])
        sid = f"gen-{i:05d}"
        attrs = [x.model_copy(update={"id": f"{sid}-{k}", "link_id": sid}) for k, x in enumerate(a.attributes)
                 if x.taxonomy_term and x.taxonomy_term.taxonomy not in ("vg-extern-id", "vg-regio")]
        out.append(Service(
            id=sid, name=f"{a.name} {gemeente}", description=f"{a.description or ''} {b.description or ''}",
            status=a.status, eligibility_description=a.eligibility_description,
            service_areas=[ServiceArea(id=f"{sid}-area", service_id=sid, name=gemeente)], attributes=attrs,
        ))
    return out, regions


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args(argv)
    services, regions = generate(args.services)
    with tempfile.TemporaryDirectory() as tmp:
        catalogue = open_catalogue(Path(tmp) / "bench.sqlite3", seed_if_empty=False)
        t0 = time.perf_counter()
        for region in regions:
            part = [s for s in services if s.service_areas[0].name in regions[region]]
            catalogue.import_services(part, bron=f"bench-{region}", region=region, fmt="generated",
                                      file_name="-", sha256="-")
        import_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        seed_rows = len(read_seed_csv(SEED_PATH))
        parse_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        entries = catalogue.entries()
        load_s = time.perf_counter() - t0
        gold = load_gold()
        opts = KaartOptions(top_k=5)
        t0 = time.perf_counter()
        suggest(["schulden"], catalogue, opts, gemeente="Gooistad 1", regio="gooi")
        index_s = time.perf_counter() - t0
        latencies = []
        rng = random.Random(1)
        for q in range(args.queries):
            need = gold[q % len(gold)]
            region = rng.choice(list(regions))
            start = time.perf_counter()
            suggest([need.need], catalogue, opts, gemeente=rng.choice(regions[region]), regio=region,
                    levensdomeinen=need.levensdomeinen)
            latencies.append((time.perf_counter() - start) * 1000)
        catalogue.close()
    q = statistics.quantiles(latencies, n=20)
    print(f"services:                {len(entries):,}")
    print(f"import (store, 3 bronnen): {import_s:.2f} s  = {len(entries) / import_s:,.0f} services/s")
    print(f"seed CSV parse+validate: {seed_rows} rows in {parse_s * 1000:.0f} ms = {seed_rows / parse_s:,.0f} rows/s")
    print(f"load entries from db:    {load_s:.2f} s")
    print(f"first query (builds BM25 index): {index_s:.2f} s")
    print(f"query latency (lexical, {args.queries} needs): p50 {statistics.median(latencies):.1f} ms, "
          f"p95 {q[18]:.1f} ms, max {max(latencies):.1f} ms")
    print(f"ratio p95/p50: {q[18] / statistics.median(latencies):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
