"""The project's one error type for bad input: the CLI prints it as one line, the app shows it.

Leaves out internal faults: any other exception is a bug, reported as such (`app.cli`).
"""


class InputError(ValueError):
    """Input the user can fix: a missing or unreadable file, an empty question, a bad option."""
