"""The year slider's logic, with no drawing in it: range, marks, stepping and play/pause."""

from __future__ import annotations

from dataclasses import dataclass

MARK_EVERY = 5


@dataclass(frozen=True)
class Timeline:
    """The years a metric has, and where the slider stands in them."""

    years: tuple[int, ...]
    partial: tuple[int, ...] = ()  # years still being collected, marked as such

    @property
    def default(self) -> int:
        """The year a view opens on: the latest year that is not partial."""
        complete = [y for y in self.years if y not in self.partial]
        return complete[-1] if complete else self.last

    def label(self, year: object) -> str:
        """The year as the page shows it beside the slider and in the legend."""
        year = self.clamp(year)
        return f"{year} (partial)" if year in self.partial else str(year)

    @property
    def first(self) -> int:
        return self.years[0]

    @property
    def last(self) -> int:
        return self.years[-1]

    def clamp(self, year: object) -> int:
        """A year inside the range; anything that is not a whole number goes to the last year."""
        if isinstance(year, bool) or not isinstance(year, (int, float)) or year != year:
            return self.last
        return int(min(max(year, self.first), self.last))

    def next_year(self, year: object) -> int:
        """One year on; from the last year, back to the first (so play can start over)."""
        year = self.clamp(year)
        return self.first if year >= self.last else year + 1

    def at_end(self, year: object) -> bool:
        return self.clamp(year) >= self.last

    def marks(self) -> dict[int, str | dict]:
        """Marks on the first and last year and every fifth year in between."""
        marks = {y: str(y) for y in range(self.first, self.last + 1) if y % MARK_EVERY == 0}
        # Keep the end marks readable: drop a round year that would sit right beside one.
        marks = {y: label for y, label in marks.items() if y - self.first >= 2 and self.last - y >= 2}
        marks[self.first] = str(self.first)
        marks[self.last] = str(self.last)
        marks = {y: label for y, label in sorted(marks.items())}
        for year in self.partial:
            if year in marks:
                # Right-aligned under its tick, so "(partial)" is not cut off at the slider's end.
                marks[year] = {"label": self.label(year), "style": {"whiteSpace": "nowrap",
                                                                    "transform": "translateX(-90%)"}}
        return marks
