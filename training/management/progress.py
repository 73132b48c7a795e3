"""A one-line progress bar for management commands: `[#####.........] 12/40 rows` on stderr."""


class ProgressBarMixin:
    """Pass `self._progress` as a `progress(done, total)` callback, then call `self._progress_end()`."""

    progress_unit = "items"
    progress_width = 30
    _bar_shown = False

    def _progress(self, done: int, total: int) -> None:
        filled = self.progress_width * done // total if total else self.progress_width
        bar = "#" * filled + "." * (self.progress_width - filled)
        self.stderr.write(f"\r[{bar}] {done}/{total} {self.progress_unit}", ending="", style_func=lambda text: text)
        self.stderr.flush()
        self._bar_shown = True

    def _progress_end(self) -> None:
        if self._bar_shown:
            self.stderr.write("")  # end the bar's line
            self._bar_shown = False
