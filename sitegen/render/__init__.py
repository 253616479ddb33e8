"""Render: each page through Markdown and its template, section indexes, the 404 page, sitemap and robots."""
