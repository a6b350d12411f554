"""Exceptions a handler raises to answer the user instead of doing the work."""


class UserError(Exception):
    """Bad input or a broken rule: the text is shown to the user, nothing is saved."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


class Forbidden(UserError):
    """The person lacks the role the action needs."""


class FormInvalid(Exception):
    """Form fields failed validation: shown inside the form, which stays open."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors
