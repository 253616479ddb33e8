"""Check the rendered documents in memory, before anything is written; and the review-date report."""
