import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from matching.engine import build_index
from matching.index import directory_profiles, directory_version, holder, taxonomy_labels


class Command(BaseCommand):
    help = "Build the ranking index from the directory and report its size and build time."

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        version = directory_version()
        with tqdm(desc="reading profiles", unit=" actors", file=self.stderr._out) as bar:

            def advance(done: int, total: int) -> None:
                bar.total = total
                bar.update(done - bar.n)

            profiles = directory_profiles(progress=advance)
        with tqdm(total=3, desc="building index", file=self.stderr._out) as bar:
            labels = taxonomy_labels()
            index = build_index(
                profiles,
                version=version,
                progress=lambda _stage: bar.update(1),
                quiet_words=[
                    *labels["sector_labels"].values(),
                    *labels["interest_labels"].values(),
                ],
                **labels,
            )
        elapsed = time.perf_counter() - started
        holder.clear()
        self.stdout.write(
            f"Index of {index.size} actors, {index.tfidf.shape[1]} terms, "
            f"{index.tfidf.nnz} non-zero weights, {index.nbytes / 1e6:.1f} MB; "
            f"built in {index.build_seconds:.2f} s ({elapsed:.2f} s with reading the database)."
        )
