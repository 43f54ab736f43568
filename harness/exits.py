"""Exit codes of ``moncompte`` and the error that ends a run that could not be made (exit code 2)."""

EXIT_OK, EXIT_FAIL, EXIT_ERROR = 0, 1, 2


class CheckError(Exception):
    """The run could not be made; the message says why, in French (exit code 2)."""
