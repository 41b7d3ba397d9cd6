"""Text utilities shared by every stage: the engine's model-input normalisation, the hold-out
hashing normalisation, the byte tokenizer and windowing (see the model contract)."""
from __future__ import annotations

import hashlib
import re
import unicodedata

PAD_ID, CLS_ID, SEP_ID, BYTE_OFFSET = 0, 1, 2, 4
VOCAB_SIZE = 256 + BYTE_OFFSET

SPAN_LABELS = ["jailbreak", "injection", "person_name", "street_address", "date_of_birth", "other_pii"]
CATEGORIES = [
    "jailbreak", "injection", "harmful",
    "harmful:violent_crime", "harmful:nonviolent_crime", "harmful:sex_crime", "harmful:child_abuse",
    "harmful:mass_harm_weapons", "harmful:hate", "harmful:self_harm", "harmful:sexual_content",
    "harmful:cyber_attack", "harmful:privacy_violation", "harmful:specialised_advice",
    "harmful:misinformation", "harmful:harassment", "pii",
]
CAT_INDEX = {c: i for i, c in enumerate(CATEGORIES)}
SPAN_INDEX = {s: i for i, s in enumerate(SPAN_LABELS)}


def _removed_codepoints() -> set[int]:
    cps = {0x00AD, 0x180E, 0xFEFF}
    cps.update(range(0x200B, 0x2010))
    cps.update(range(0x2060, 0x2065))
    cps.update(range(0x202A, 0x202F))
    cps.update(range(0x2066, 0x206A))
    cps.update(range(0xFE00, 0xFE10))
    cps.update(range(0xE0100, 0xE01F0))
    cps.update(range(0xE0000, 0xE0080))
    return cps


REMOVED = _removed_codepoints()
_REMOVE_TABLE = {cp: None for cp in REMOVED}


def normalize_model_input(s: str) -> str:
    """The engine's normalized text: NFKC, then removal of invisible/format code points."""
    return unicodedata.normalize("NFKC", s).translate(_REMOVE_TABLE)


_WS = re.compile(r"\s+")


def holdout_key(s: str) -> str:
    """Hold-out hashing normalisation: NFKC, lower-case, collapse whitespace, trim; SHA-256 hex."""
    t = _WS.sub(" ", unicodedata.normalize("NFKC", s).lower()).strip()
    return hashlib.sha256(t.encode("utf-8")).hexdigest()


def encode_bytes(b: bytes) -> list[int]:
    """One window's ids: [CLS] bytes... [SEP]."""
    return [CLS_ID] + [x + BYTE_OFFSET for x in b] + [SEP_ID]


def windows(b: bytes, max_len: int = 512, stride: int = 384) -> list[tuple[int, bytes]]:
    """Split bytes into windows of max_len-2 bytes starting every `stride` bytes (never truncated)."""
    w = max_len - 2
    if len(b) <= w:
        return [(0, b)]
    out = []
    start = 0
    while True:
        out.append((start, b[start:start + w]))
        if start + w >= len(b):
            break
        start += stride
    return out


def char_to_byte_offsets(text: str) -> list[int]:
    """offsets[i] = byte offset of character i in UTF-8; offsets[len] = total bytes."""
    offs = [0]
    n = 0
    for ch in text:
        n += len(ch.encode("utf-8"))
        offs.append(n)
    return offs
