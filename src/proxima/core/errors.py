"""The one shape of "bad input" across Proxima: every field that is wrong, each with a
message for the user in their language. Services raise a subclass; pages list the
messages, the API answers 400 with them (proxima/api.py)."""


class InputError(ValueError):
    """`errors` maps field names (or records) to messages for the user."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{key}: {message}" for key, message in errors.items()))
        self.errors = errors
