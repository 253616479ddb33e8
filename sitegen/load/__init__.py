"""Load and validate: the content's files, front matter, settings, pages, the site model and pictures."""
