"""The command line: build, check, serve, new, review and review-packet; the only code that prints."""
