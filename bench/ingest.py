"""Ingest throughput against the machine's limit, measured in one run on the same texts.

Prints, for the first ``--n`` articles of a corpus:

- the machine's limit: spaCy (the pipeline the extractor uses, entity ruler included) over
  every core, on the chunks the extractor gives it, plus the passage embedding over every
  core. Each runs in one process per core with its model loaded and warmed up first, so
  the limit is what any pipeline built on these two models can reach here;
- end-to-end ingest (parse -> extract -> validate -> embed -> Qdrant + Neo4j), through
  ``IngestPipeline.ingest_iter`` as ``kg ingest`` runs it, its worker processes started and
  warmed up first;
- the ratio end-to-end / limit, in wall time and in CPU time; the peak memory (this
  process and its ingest workers); and where the rest goes (this process's and Neo4j's
  CPU, and the stages of ``prepare_many`` timed in this process on a sample).

The corpus is read in ``--rounds`` consecutive slices, and the limit and the end-to-end
ingest alternate on each slice: on a machine shared with other work, both then see the
same load. The articles go to a temporary Qdrant directory and to the Neo4j server of the
settings under URLs of this run (``https://bench.newskg.invalid/<run>/<i>``), and are
deleted afterwards. Read the corpus from ``../shared/data`` (never copy it into the
repository).

Run: ``make neo4j-start && .venv/bin/python bench/ingest.py
--corpus ../shared/data/reuters21578/articles.jsonl --n 2000``
(Reuters-21578, Distribution 1.0; research use only.)
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import itertools
import multiprocessing
import os
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from kg.core.config import Settings, get_settings
from kg.core.models import Article
from kg.core.text_spans import chunk_spans, passage_spans
from kg.ingest.parsing import iter_path
from kg.ingest.pipeline import IngestFailure, IngestPipeline
from kg.ingest.workers import default_workers
from kg.services import bootstrap, build_services, close

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "data" / "reuters21578" / "articles.jsonl"


# --------------------------------------------------------------------------- input


def articles(corpus: Path, n: int, run: str, max_chars: int) -> Iterator[Article]:
    """The first ``n`` valid articles of the corpus, under this run's URLs (streamed)."""
    records = (r for r in iter_path(corpus, max_chars) if isinstance(r, Article))
    for i, article in enumerate(itertools.islice(records, n)):
        yield dataclasses.replace(article, url=f"{BENCH_URL}/{run}/{i}", origin=f"bench:{i}")


# --------------------------------------------------------------------------- the limit

BENCH_URL = "https://bench.newskg.invalid"
_MODELS: dict[str, Any] = {}


def _limit_worker(settings: Settings) -> None:
    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[name] = "1"
    import torch

    from kg.extraction.nlp import load_nlp
    from kg.vectors.embedder import embedder_from_settings

    torch.set_num_threads(1)
    _MODELS["nlp"] = load_nlp(settings.spacy_model)
    _MODELS["embedder"] = embedder_from_settings(settings)
    _MODELS["nlp"]("Officials met in Paris on Monday.")
    _MODELS["embedder"].embed(["warm up"])


def _parse(texts: list[str]) -> int:
    return sum(len(doc) for doc in _MODELS["nlp"].pipe(texts))


def _embed(texts: list[str]) -> int:
    return len(_MODELS["embedder"].embed(texts))


def _warm(_: int) -> int:
    return os.getpid()


def _spread(items: list[str], parts: int) -> list[list[str]]:
    size = max(1, -(-len(items) // parts))
    return [items[i : i + size] for i in range(0, len(items), size)]


@dataclasses.dataclass(frozen=True)
class Limit:
    """Wall and CPU seconds (this process tree) of spaCy and of the embedding."""

    spacy_s: float
    embed_s: float
    spacy_cpu: float
    embed_cpu: float

    @property
    def wall(self) -> float:
        return self.spacy_s + self.embed_s

    @property
    def cpu(self) -> float:
        return self.spacy_cpu + self.embed_cpu


def limit_pool(settings: Settings, workers: int) -> ProcessPoolExecutor:
    """One process per core with spaCy and the embedder loaded and warmed up."""
    pool = ProcessPoolExecutor(
        workers,
        multiprocessing.get_context("spawn"),
        initializer=_limit_worker,
        initargs=(settings,),
    )
    list(pool.map(_warm, range(workers * 4)))
    return pool


def measure_limit(
    pool: ProcessPoolExecutor, settings: Settings, texts: list[str], workers: int
) -> Limit:
    """spaCy over every core on the extractor's chunks, then the embedding over every core
    on the passages."""
    chunks = [t[s:e] for t in texts for s, e in chunk_spans(t, settings.extract_chunk_chars)]
    passages = [t[s:e] for t in texts for s, e in passage_spans(t, settings.passage_max_chars)]
    cpu0, t0 = _tree_cpu(), time.perf_counter()
    list(pool.map(_parse, _spread(chunks, workers * 4)))
    cpu1, t1 = _tree_cpu(), time.perf_counter()
    list(pool.map(_embed, _spread(passages, workers * 4)))
    cpu2, t2 = _tree_cpu(), time.perf_counter()
    return Limit(t1 - t0, t2 - t1, cpu1 - cpu0, cpu2 - cpu1)


# --------------------------------------------------------------------------- memory


def _tree() -> list[tuple[int, int, float]]:
    """(pid, resident bytes, CPU seconds) of this process and all its descendants."""
    me = os.getpid()
    parents: dict[int, int] = {}
    stats: dict[int, tuple[int, float]] = {}
    page, tick = os.sysconf("SC_PAGE_SIZE"), os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            parents[int(entry)] = int(fields[1])
            cpu = (int(fields[11]) + int(fields[12])) / tick
            stats[int(entry)] = (int(fields[21]) * page, cpu)
        except (OSError, ValueError, IndexError):
            continue
    found, todo = [], [me]
    while todo:
        pid = todo.pop()
        if pid in stats:
            found.append((pid, *stats[pid]))
        todo += [child for child, parent in parents.items() if parent == pid]
    return found


def _process_cpu(pid: int) -> float:
    """CPU seconds used so far by one process (0 when it cannot be read)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _listening_pid(port: int) -> int | None:
    """The process listening on a local TCP port, as ``ss`` says (None when unknown)."""
    import re
    import subprocess

    try:
        out = subprocess.run(["ss", "-ltnpH"], capture_output=True, text=True, timeout=5).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    for line in out.splitlines():
        if re.search(rf":{port}\s", line):
            found = re.search(r"pid=(\d+)", line)
            return int(found.group(1)) if found else None
    return None


def _tree_rss(excluded: frozenset[int] = frozenset()) -> int:
    """Resident memory of this process and its descendants but ``excluded``, in bytes."""
    return sum(rss for pid, rss, _ in _tree() if pid not in excluded)


def _tree_cpu() -> float:
    """CPU seconds used so far by this process and its living descendants."""
    return sum(cpu for _, _, cpu in _tree())


class PeakMemory:
    """Samples the process tree's memory in a thread; ``peak`` is the largest sample."""

    def __init__(self, excluded: frozenset[int] = frozenset(), every_s: float = 0.25) -> None:
        self.excluded = excluded
        self.peak = 0
        self.peak_main = 0
        self._every = every_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import resource

        while not self._stop.is_set():
            self.peak = max(self.peak, _tree_rss(self.excluded))
            self.peak_main = max(
                self.peak_main, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
            )
            self._stop.wait(self._every)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


# --------------------------------------------------------------------------- breakdown


def breakdown(pipeline: IngestPipeline, sample: list[Article]) -> dict[str, float]:
    """CPU seconds per stage of ``prepare_many`` on a sample, in this process."""
    import torch

    from kg.extraction.extractor import RuleBasedExtractor
    from kg.ingest.evidence import embed_documents
    from kg.rdf.mapping import document_triples, triples_to_rows
    from kg.rdf.ontology import load_ontology

    torch.set_num_threads(1)  # as in the workers
    extractor = pipeline.extractor
    timings: collections.defaultdict[str, float] = collections.defaultdict(float)
    if not isinstance(extractor, RuleBasedExtractor):
        return {}
    nlp = extractor.nlp
    chunks = [a.body[s:e] for a in sample for s, e in chunk_spans(a.body, extractor.chunk_chars)]
    # Untimed first pass: the first parse of a text adds its words to spaCy's vocabulary
    # and loads what the rules load on first use. Timing spaCy cold and the rules (which
    # parse again) warm made the rules' share negative.
    pipeline.parse_many(sample)
    t0 = time.process_time()
    docs = list(nlp.pipe(chunks))
    timings["spaCy"] = time.process_time() - t0
    del docs
    t0 = time.process_time()
    parsed = pipeline.parse_many(sample)
    timings["rules (entities, actions, coding)"] = time.process_time() - t0 - timings["spaCy"]
    ontology = load_ontology()
    for doc in parsed:
        t0 = time.process_time()
        triples = document_triples(doc)
        timings["RDF mapping"] += time.process_time() - t0
        t0 = time.process_time()
        ontology.check(triples)
        timings["SHACL (compiled)"] += time.process_time() - t0
        t0 = time.process_time()
        triples_to_rows(triples, ontology)
        timings["rows"] += time.process_time() - t0
    # The passages, with each action's evidence pooled from its passage's tokens (for the
    # event merge), as prepare_many embeds them: one forward pass.
    t0 = time.process_time()
    embed_documents(pipeline.embedder, parsed)
    timings["embedding (passages; evidence pooled)"] = time.process_time() - t0
    return dict(timings)


# --------------------------------------------------------------------------- main


def _warm_pipeline(pipeline: IngestPipeline, run: str) -> None:
    """Start the ingest workers and load their models (not timed)."""
    warm = [
        Article(title="warm", body="Officials met in Paris.", url=f"{BENCH_URL}/{run}/warm{i}")
        for i in range(pipeline.workers)
    ]
    for _ in pipeline.pool().map_bounded([[w] for w in warm]):
        pass


def slices(corpus: Path, n: int, rounds: int, run: str, max_chars: int) -> Iterator[list[Article]]:
    """The articles in ``rounds`` consecutive slices, read from the file as needed."""
    stream = articles(corpus, n, run, max_chars)
    size = max(1, -(-n // rounds))
    while chunk := list(itertools.islice(stream, size)):
        yield chunk


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="a JSONL corpus")
    parser.add_argument("--n", type=int, default=2000, help="articles to ingest")
    parser.add_argument("--rounds", type=int, default=4, help="limit / end-to-end alternations")
    parser.add_argument("--workers", type=int, default=0, help="processes (0: one per core)")
    parser.add_argument("--sample", type=int, default=100, help="articles timed stage by stage")
    args = parser.parse_args()

    run = uuid.uuid4().hex[:8]
    with tempfile.TemporaryDirectory() as tmp:
        settings = get_settings(var_dir=Path(tmp), ingest_workers=args.workers)
        workers = default_workers(settings)
        max_chars = settings.max_article_chars
        print(f"cores: {os.cpu_count()}, workers: {workers}, load: {os.getloadavg()[0]:.1f}")

        services = build_services(settings)
        bootstrap(services)
        pipeline = services.pipeline
        t0 = time.perf_counter()
        if workers > 1:
            _warm_pipeline(pipeline, run)
        startup_s = time.perf_counter() - t0
        limit_workers = limit_pool(settings, workers)
        excluded = frozenset(limit_workers._processes)  # noqa: SLF001 - their pids

        store_s = 0.0
        store_many = pipeline.store_many

        def timed_store(prepared: Any) -> Any:
            nonlocal store_s
            t = time.perf_counter()
            try:
                return store_many(prepared)
            finally:
                store_s += time.perf_counter() - t

        pipeline.store_many = timed_store  # type: ignore[method-assign]
        neo4j_pid = _listening_pid(settings.neo4j_bolt_port)
        limits: list[Limit] = []
        stored: list[str] = []
        rejected = n = chars = passages = 0
        e2e_s = e2e_cpu = main_cpu = neo_cpu = 0.0
        # Limit and end-to-end alternate on consecutive slices of the corpus, so that both
        # see the same machine: its load (other processes) drifts over minutes.
        with PeakMemory(excluded) as memory:
            for chunk in slices(args.corpus, args.n, args.rounds, run, max_chars):
                texts = [a.body for a in chunk]
                n += len(chunk)
                chars += sum(map(len, texts))
                passages += sum(len(passage_spans(t, settings.passage_max_chars)) for t in texts)
                limits.append(measure_limit(limit_workers, settings, texts, workers))
                neo0 = _process_cpu(neo4j_pid) if neo4j_pid else 0.0
                main0 = _process_cpu(os.getpid())
                cpu0, t0 = _tree_cpu(), time.perf_counter()
                for result in pipeline.ingest_iter(iter(chunk)):
                    if isinstance(result, IngestFailure):
                        rejected += 1
                    else:
                        stored.append(result.article_id)
                e2e_s += time.perf_counter() - t0
                e2e_cpu += _tree_cpu() - cpu0
                main_cpu += _process_cpu(os.getpid()) - main0
                neo_cpu += (_process_cpu(neo4j_pid) - neo0) if neo4j_pid else 0.0
                del chunk, texts
        pipeline.store_many = store_many  # type: ignore[method-assign]
        limit_workers.shutdown()
        pipeline.close()
        load_after = os.getloadavg()[0]

        sample = list(articles(args.corpus, args.sample, run, max_chars))
        stages = breakdown(pipeline, sample) if sample else {}
        for article_id in stored:
            pipeline.delete_article(article_id)
        close(services)

    spacy_s = sum(m.spacy_s for m in limits)
    embed_s = sum(m.embed_s for m in limits)
    limit_s, limit_cpu = spacy_s + embed_s, sum(m.cpu for m in limits)
    print(f"corpus: {args.corpus.name}, {n} articles, {chars} chars, {passages} passages")
    print(
        f"limit: spaCy over {workers} cores {spacy_s:.1f} s + embedding over {workers} cores "
        f"{embed_s:.1f} s"
    )
    print(f"limit:                {n / limit_s:8.2f} articles/s ({limit_s:.1f} s)")
    print(
        f"end-to-end ingest:    {n / e2e_s:8.2f} articles/s ({e2e_s:.1f} s, "
        f"{len(stored)} stored, {rejected} rejected)"
    )
    print(f"ratio end-to-end / limit: {limit_s / e2e_s:.2f}")
    print(f"alternations of limit and end-to-end: {len(limits)}")
    print(
        f"CPU seconds (this process and its workers; Neo4j's server not counted): "
        f"limit {limit_cpu:.1f}, end-to-end {e2e_cpu:.1f}, ratio {limit_cpu / e2e_cpu:.2f}"
    )
    print(f"  of which this process (reading, storing): {main_cpu:.1f} s CPU")
    if neo4j_pid:
        print(f"  Neo4j's server meanwhile (shared: other clients count too): {neo_cpu:.1f} s CPU")
    print(f"worker start-up (models loaded once per process, not timed): {startup_s:.1f} s")
    print(f"storing in this process (Qdrant + Neo4j, overlapping the workers): {store_s:.1f} s")
    print(
        f"peak memory: {memory.peak / 2**20:.0f} MiB (this process and its ingest workers); "
        f"this process {memory.peak_main / 2**20:.0f} MiB"
    )
    print(f"load average after: {load_after:.1f}")
    if stages:
        total = sum(stages.values())
        print(f"prepare_many stages on {len(sample)} articles, one process ({total:.1f} s):")
        for name, seconds in stages.items():
            print(f"  {name:36s} {seconds:7.2f} s  {100 * seconds / total:5.1f} %")


if __name__ == "__main__":
    main()
