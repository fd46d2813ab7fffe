"""User-facing errors: each prints as one line saying where, what is wrong and how to fix it."""


class LeafletError(Exception):
    """A mistake in the user's input or request. The command line prints it without a traceback."""

    def __init__(self, message: str, path: str = "", line: int = 0, fix: str = ""):
        self.path, self.line, self.fix, self.reason = str(path), line, fix, message
        where = f"{path}:{line}: " if path and line else f"{path}: " if path else ""
        super().__init__(f"{where}{message}" + (f" ({fix})" if fix else ""))

    def __reduce__(self):
        """Keep path, line and fix when raised in a worker process (a subclass with its own
        constructor arrives as a plain LeafletError with the same message)."""
        cls = type(self) if type(self).__init__ is LeafletError.__init__ else LeafletError
        return (cls, (self.reason, self.path, self.line, self.fix))
