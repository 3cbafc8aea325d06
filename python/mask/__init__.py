"""mask: masks personal data and secrets in Japanese business text.

Names become romaji initials (山田太郎 → Y.T.), addresses keep the prefecture,
phones and e-mail addresses keep their last 4 characters, and My Numbers, card
data and secrets are never returned. The work is done by the Rust library
(``mask._mask``); a :class:`Masker` is built once and reused.

>>> import mask
>>> mask.mask_text("TEL 090-1234-5678")
'TEL ***-****-5678'
>>> [f.category for f in mask.scan("TEL 090-1234-5678")]
['phone']
"""

from __future__ import annotations

import functools
from typing import List, Optional

from ._mask import (
    BlockedError,
    Finding,
    FormatError,
    MaskError,
    Masker,
    PolicyError,
    __version__,
)

__all__ = [
    "BlockedError",
    "Finding",
    "FormatError",
    "MaskError",
    "Masker",
    "PolicyError",
    "__version__",
    "mask_text",
    "masker",
    "scan",
]


@functools.lru_cache(maxsize=8)
def masker(policy: Optional[str] = None) -> Masker:
    """The shared :class:`Masker` of a policy (a preset or a TOML file),
    built on first use and kept for the process."""
    return Masker(policy)


def mask_text(text: str, policy: Optional[str] = None, format: Optional[str] = None) -> str:
    """Masks ``text`` with ``policy`` (default: the ``default`` preset).

    Raises :class:`BlockedError` when the policy blocks something in it."""
    return masker(policy).mask(text, format)


def scan(text: str, policy: Optional[str] = None, format: Optional[str] = None) -> List[Finding]:
    """What :func:`mask_text` would mask: category, detector, line, column."""
    return masker(policy).scan(text, format)
