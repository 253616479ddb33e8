"""Clinical review: recording a review, the review packet, and what git knows of a page's history."""
