"""A static site generator for trustworthy patient-education content."""
