"""Question statistics: `selectors` (the figures, who may see them) and `views` (the admin pages)."""
