"""Personal data the assistant never needs and must not keep.

Three kinds are recognised in what a user types and replaced by a placeholder before the NLU
reads a message and before a conversation is stored (bot/tracker_store.py):
- Norwegian national identity numbers (fødselsnummer, D-nummer, H-nummer): eleven digits, often
  written as six + five ("010190 12345"), whose last two digits are the two mod-11 control
  digits of the first nine and ten. Eleven digits that fail the check (an order number, an
  account number) are left as they are.
- Phone numbers: eight digits starting with 2–9 as Norwegian numbers are written ("91234567",
  "912 34 567", "91 23 45 67"), with or without +47 / 0047, and other numbers written with a
  + country code.
- E-mail addresses.
"""
from __future__ import annotations

import re
from typing import List

REDACTED = "[personnummer fjernet]"
PHONE_REDACTED = "[telefonnummer fjernet]"
EMAIL_REDACTED = "[e-post fjernet]"

_IDENTITY_CANDIDATE = re.compile(r"(?<![\d])(\d{6})[ .-]?(\d{5})(?![\d])")
_PHONE = re.compile(
    r"(?<![\w+])"
    r"(?:(?:\+|00)47[ .-]?)?"
    r"(?:[2-9]\d{7}"  # 91234567
    r"|[2-9]\d{2}[ .-]\d{2}[ .-]\d{3}"  # 912 34 567
    r"|[2-9]\d[ .-]\d{2}[ .-]\d{2}[ .-]\d{2})"  # 91 23 45 67
    r"(?![\d])"
    r"|(?<![\w+])\+\d{1,3}(?:[ .-]?\d){6,12}(?![\d])"  # +46 70 123 45 67
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")

_K1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_K2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def _control(digits: List[int], weights) -> int:
    rest = 11 - sum(d * w for d, w in zip(digits, weights)) % 11
    return 0 if rest == 11 else rest  # 10 means no valid number


def is_identity_number(number: str) -> bool:
    """True for eleven digits whose two control digits are right (fødselsnummer, D- and H-nummer)."""
    if not re.fullmatch(r"\d{11}", number):
        return False
    digits = [int(c) for c in number]
    k1 = _control(digits[:9], _K1)
    k2 = _control(digits[:10], _K2)
    return k1 == digits[9] and k2 == digits[10]


def _redact_identity(text: str) -> str:
    def replace(match: "re.Match[str]") -> str:
        return REDACTED if is_identity_number(match.group(1) + match.group(2)) else match.group(0)

    return _IDENTITY_CANDIDATE.sub(replace, text)


def redact(text: str) -> str:
    """`text` with every identity number, e-mail address and phone number replaced."""
    text = _redact_identity(text)
    text = _EMAIL.sub(EMAIL_REDACTED, text)
    return _PHONE.sub(PHONE_REDACTED, text)


def contains_personal_data(text: str) -> bool:
    """True when `text` holds anything `redact` replaces."""
    return redact(text) != text
