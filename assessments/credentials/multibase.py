"""base58btc multibase (prefix "z") and the Multikey encodings of Ed25519 keys."""

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {char: value for value, char in enumerate(ALPHABET)}
ED25519_PUBLIC_PREFIX = b"\xed\x01"  # multicodec ed25519-pub
ED25519_SECRET_PREFIX = b"\x80\x26"  # multicodec ed25519-priv


def b58encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    encoded = ""
    while number:
        number, remainder = divmod(number, 58)
        encoded = ALPHABET[remainder] + encoded
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * zeros + encoded


def b58decode(text: str) -> bytes:
    number = 0
    for char in text:
        if char not in _INDEX:
            raise ValueError(f"{char!r} is not a base58btc character.")
        number = number * 58 + _INDEX[char]
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * zeros + body


def multibase_encode(data: bytes) -> str:
    return "z" + b58encode(data)


def multibase_decode(text: str) -> bytes:
    if not isinstance(text, str) or not text.startswith("z"):
        raise ValueError("Expected a base58btc multibase value (starting with 'z').")
    return b58decode(text[1:])


def _multikey_decode(text: str, prefix: bytes, what: str) -> bytes:
    data = multibase_decode(text)
    if not data.startswith(prefix) or len(data) != len(prefix) + 32:
        raise ValueError(f"Not an Ed25519 {what} key in Multikey form.")
    return data[len(prefix):]


def public_key_multibase(raw: bytes) -> str:
    return multibase_encode(ED25519_PUBLIC_PREFIX + raw)


def public_key_from_multibase(text: str) -> bytes:
    return _multikey_decode(text, ED25519_PUBLIC_PREFIX, "public")


def secret_key_from_multibase(text: str) -> bytes:
    return _multikey_decode(text, ED25519_SECRET_PREFIX, "secret")
