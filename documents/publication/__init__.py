"""行政执法公示 (DOMAIN.md §9): what a decision publishes, redacted by rule, and its withdrawal."""
