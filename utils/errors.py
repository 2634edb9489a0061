"""Errors raised for bad input: each message names the problem and how to fix it."""


class DataError(ValueError):
    """The data cannot be used as given (missing file or column, wrong target, bad values)."""


class ParameterError(ValueError):
    """A notebook parameter is unknown or has a value of the wrong kind."""


class CheckpointError(RuntimeError):
    """A saved GAN checkpoint cannot be read or does not match the GAN being trained."""
