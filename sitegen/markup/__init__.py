"""Python-Markdown: the one converter factory, the site's extensions and the reading grade of their tree."""
