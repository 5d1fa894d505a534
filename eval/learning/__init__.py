"""Learning the answer models across papers, and judging them on papers they never saw.

`python -m eval.learning` (`make learn`): every paper of `corpus.papers()` is indexed and its
questions gathered once (`items`); the settings are chosen and the figures reported by
leave-one-paper-out (`folds`, `lopo`, `report`); the models are then learned on all of them
and saved to `index/answers/models.json` with the papers they were learned on.
`python -m eval.learning --test` scores the test paper (`corpus.test_papers()`) once with the
saved models. Leaves out applying the models (`index.answers`).
"""
