"""Measuring footnoted, in rooms by job. Here: the benchmark of retrieval and answers (question
sets, chunking-independent relevance, metrics, intervals and tests, runs, reports, plots,
TREC export, sweeps, the gate, `footnoted eval`) and the real-PDF scoring (pdf_real). Beside
it: `eval.learning` learns the answer models leave-one-paper-out (writes index/answers/),
`eval.perf` measures speed, memory and load, `eval.fixtures` typesets test papers. The app
imports only the benchmark and its report views, never learning, fixtures or load code.
"""
