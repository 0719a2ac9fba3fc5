import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from matching.index import index_build


class Command(BaseCommand):
    help = "Build the ranking index from the directory and report its size and build time."

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        out = self.stderr._out
        with (
            tqdm(desc="reading profiles", unit=" actors", file=out) as reading,
            tqdm(total=3, desc="building index", file=out) as building,
        ):

            def advance(done: int, total: int) -> None:
                reading.total = total
                reading.update(done - reading.n)

            index = index_build(progress=advance, stage=lambda _name: building.update(1))
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Index of {index.size} actors, {index.tfidf.shape[1]} terms, "
            f"{index.tfidf.nnz} non-zero weights, {index.nbytes / 1e6:.1f} MB; "
            f"built in {index.build_seconds:.2f} s ({elapsed:.2f} s with reading the database)."
        )
