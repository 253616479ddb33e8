"""The review code: a short, readable form of a page's fingerprint, printed in the review packet and typed by the
editor into `build.py review --code`.

A code is 12 characters in three groups of four, such as 7KQM-3XPD-HT9W:
- The characters are the digits 2 to 9 and the capital letters without I, L, O, S and U, which are read or
  written as 1, 1, 0, 5 and V. Small letters, spaces and dashes are accepted as typed.
- The first 11 characters come from the fingerprint (a SHA-256 hash): 29**11 is about 2**53, so two versions of a
  page share a code by chance about once in 10**16 times, and a wrong code is never taken for the right one.
- The last character is a check character (a weighted sum modulo 29, a prime, with weights 1 to 12). So every
  wrong character and every swap of two neighbours is known as a mistype from the code alone, before it is
  compared with anything: a mistype is never reported as "the page has changed".
"""

from __future__ import annotations

import re

ALPHABET = "23456789ABCDEFGHJKMNPQRTVWXYZ"
BASE = len(ALPHABET)  # 29, a prime
DATA_LENGTH = 11
LENGTH = DATA_LENGTH + 1
GROUP = 4
SEPARATORS = re.compile(r"[\s\-_.]+")
FINGERPRINT = re.compile(r"^sha256:[0-9a-f]{64}$")


def review_code(fingerprint: str) -> str:
    """The review code of a fingerprint 'sha256:HEX', grouped for reading: 7KQM-3XPD-HT9W."""
    number = int(fingerprint.removeprefix("sha256:"), 16)
    values = []
    for _ in range(DATA_LENGTH):
        number, value = divmod(number, BASE)
        values.append(value)
    values.append(_check_value(values))
    return grouped("".join(ALPHABET[v] for v in values))


def _check_value(values: list[int]) -> int:
    """The value that makes the weighted sum of all 12 values a multiple of BASE."""
    total = sum(weight * value for weight, value in enumerate(values, start=1))
    return (-total * pow(LENGTH, -1, BASE)) % BASE


def grouped(code: str) -> str:
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def normalise(typed: str) -> str:
    """What was typed, without spaces or dashes, in capitals; a whole fingerprint becomes its code."""
    text = typed.strip()
    if FINGERPRINT.match(text.lower()):
        return review_code(text.lower()).replace("-", "")
    return SEPARATORS.sub("", text).upper()


def is_well_formed(code: str) -> bool:
    """Whether a normalised code has 12 characters of the alphabet and a right check character."""
    if len(code) != LENGTH or any(c not in ALPHABET for c in code):
        return False
    return sum(weight * ALPHABET.index(c) for weight, c in enumerate(code, start=1)) % BASE == 0


def distance(a: str, b: str) -> int:
    """The number of wrong, missing, extra or swapped-neighbour characters between a and b (optimal string alignment)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]
