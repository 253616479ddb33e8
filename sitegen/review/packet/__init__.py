"""The review packet: printable HTML pages for a clinical reviewer, one per content page and an index (build.py review-packet)."""
