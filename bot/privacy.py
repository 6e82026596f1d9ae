"""Personal data the assistant never needs and must not keep.

Norwegian national identity numbers (fødselsnummer, D-nummer) are eleven digits, often
written as six + five ("010190 12345"). They are replaced before NLU reads a message and
before a conversation is stored.
"""
import re

IDENTITY_NUMBER = re.compile(r"(?<![\d])\d{6}[ .-]?\d{5}(?![\d])")
REDACTED = "[personnummer fjernet]"


def redact(text: str) -> str:
    """`text` with every identity number replaced."""
    return IDENTITY_NUMBER.sub(REDACTED, text)


def contains_identity_number(text: str) -> bool:
    return bool(IDENTITY_NUMBER.search(text))
