"""Synthetic directories for benchmarks: as many services as asked, shaped like the demo.

Organizations are drawn from the demo catalog's kinds and spread over real Quebec and
Ontario postal areas (FSA centroids), so texts, taxonomy, hours, languages, ages and
distances vary the way real data does. Ids are deterministic (`synth-` keys), so running
twice with the same size changes nothing; every record is flagged `is_demo`.
"""

import random
from collections.abc import Callable

from django.db import transaction

from proxima.directory import models as m
from proxima.directory.services import demo_catalog as catalog
from proxima.directory.services import geo
from proxima.directory.services.demo_territory import RecordBatch, add_organization
from proxima.directory.services.indexing import reindex_services
from proxima.directory.services.taxonomy import load_need_domains

# Forward sortation areas of Quebec (G, H, J) and Ontario (K, L, M, N, P).
PROVINCE_BY_LETTER = {"G": "QC", "H": "QC", "J": "QC", "K": "ON", "L": "ON", "M": "ON"}
ENGLISH_FIRST_LETTERS = {"K", "L", "M"}
ORGANIZATIONS_PER_CHUNK = 1500


def synthetic_places() -> list[tuple]:
    """Places in the demo catalog's shape, one per FSA of Quebec and Ontario, sorted."""
    places = []
    for fsa, (lat, lon, city) in sorted(geo.fsa_points().items()):
        province = PROVINCE_BY_LETTER.get(fsa[0])
        if province is None or lat is None or lon is None:
            continue
        english_first = fsa[0] in ENGLISH_FIRST_LETTERS
        places.append((f"synth-{fsa}", city, city, province, f"{fsa} 1A1", lat, lon, english_first))
    return places


def generate_synthetic_services(
    count: int,
    *,
    seed: int = 42,
    on_progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Create at least `count` services (whole organizations, so a few more), then index them."""
    load_need_domains()
    rng = random.Random(seed)
    places = synthetic_places()
    kinds = [*catalog.ORGANIZATION_KINDS, catalog.CLSC, *catalog.REGIONAL_ORGANIZATIONS]
    services = organizations = number = 0
    while services < count:
        batch = RecordBatch()
        for _ in range(ORGANIZATIONS_PER_CHUNK):
            if services >= count:
                break
            number += 1
            kind = kinds[rng.randrange(len(kinds))]
            place = places[rng.randrange(len(places))]
            add_organization(batch, rng, kind, place, number)
            services += len(kind["services"])
            organizations += 1
        with transaction.atomic():
            batch.write()
            written = [s.id for s in batch.rows[m.Service]]
            reindex_services(written)
        if on_progress:
            on_progress(len(written))
    return {"organizations": organizations, "services": services}
