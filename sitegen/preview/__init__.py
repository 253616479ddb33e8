"""python build.py serve: build into a folder of its own, serve it, rebuild on every save and reload the browser.

The parts, each in its own module:
- build.py: PreviewBuild builds the site (drafts included) into a new folder and swaps the finished build in;
- watch.py: watchdog glue (which file events are saves) and the Rebuilder (debounce, one build at a time in a
  worker thread);
- server.py: the tornado handlers, the reload script and error panel added to HTML on the way out, and the
  checks on every request (its Host, paths that stay inside the site, redirects that stay on the preview);
- client.js and client.css: the preview's own script and stylesheet, package files served as they are;
- lifecycle.py: serve(), which binds the socket, starts and stops everything, and hands every message to its
  caller (cli.py prints them; nothing here prints).
"""

from .lifecycle import serve

__all__ = ["serve"]
