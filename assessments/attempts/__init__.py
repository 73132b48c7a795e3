"""Attempts: a person taking a quiz, from start to a final grade.

`services` (start, save, submit, expire, close, manual grade, time accommodations), `selectors`
(a person's time limit, the grading queue), `review` (a finished attempt's stored record),
`forms`, `presenters` and `views` (start, take, autosave, review before submit, result, grading).
Manual grading lives here too: it is the last step of an attempt's scoring (same row lock, same
`_score`), and small (one service, two views, one form)."""
