"""Python-Markdown extensions used by the generator."""
