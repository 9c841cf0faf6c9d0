#!/usr/bin/env python3
"""Writes vectors.txt: memjcache encrypted-envelope test vectors (docs/ENVELOPE.md).

An independent implementation of the format with the Python 'cryptography' package
(pip install cryptography; AES-GCM-SIV needs version 42 or newer), so the Java test
checks memjcache against a second reading of the specification, not against itself.
Run: python3 generate_vectors.py > vectors.txt
"""
import hashlib
import hmac
import struct

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, AESGCMSIV
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

VERSION = 1
FLAG_ENCRYPTED = 0x80
ALGORITHMS = {1: AESGCM, 2: AESGCMSIV}


def hkdf(ikm, salt, info):
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(ikm)


def info(label, context):
    return label.encode("ascii") + b"\x00" + context


def varint(n):
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def det(label, n):
    """Deterministic filler bytes: SHA-256 in counter mode over a label."""
    out = b""
    i = 0
    while len(out) < n:
        out += hashlib.sha256(label.encode() + struct.pack(">I", i)).digest()
        i += 1
    return out[:n]


def vector(name, algorithm, cache, key_id, master, hash_keys, hashing_id, hashing_master,
           format_id, expires_at, skey, value, salt, nonce):
    cache_utf8 = cache.encode("utf-8")
    cache_value_key = hkdf(master, None, info("memjcache v1 value key", cache_utf8))
    writer_key = hkdf(cache_value_key, salt, info("memjcache v1 writer key", bytes([algorithm])))
    if hash_keys:
        cache_lookup_key = hkdf(hashing_master, None, info("memjcache v1 lookup key", cache_utf8))
        lookup_key = hmac.new(cache_lookup_key, skey, hashlib.sha256).digest()
    else:
        cache_lookup_key = None
        lookup_key = skey
    header = struct.pack(">BBq", VERSION, FLAG_ENCRYPTED | format_id, expires_at)
    prefix = header + struct.pack(">BH", algorithm, key_id) + salt + nonce
    aad = prefix + struct.pack(">I", len(cache_utf8)) + cache_utf8 + struct.pack(">I", len(lookup_key)) + lookup_key
    body = varint(len(skey)) + skey + varint(len(value)) + value
    sealed = ALGORITHMS[algorithm](writer_key).encrypt(nonce, body, aad)
    fields = [
        ("name", name),
        ("algorithm", str(algorithm)),
        ("cacheName", cache_utf8.hex()),
        ("keyId", str(key_id)),
        ("masterKey", master.hex()),
        ("hashKeys", "true" if hash_keys else "false"),
    ]
    if hash_keys:
        fields += [("hashingKeyId", str(hashing_id)), ("hashingMasterKey", hashing_master.hex())]
    fields += [
        ("formatId", str(format_id)),
        ("expiresAt", str(expires_at)),
        ("serializedKey", skey.hex()),
        ("serializedValue", value.hex()),
        ("writerSalt", salt.hex()),
        ("nonce", nonce.hex()),
        ("cacheValueKey", cache_value_key.hex()),
        ("writerKey", writer_key.hex()),
    ]
    if hash_keys:
        fields.append(("cacheLookupKey", cache_lookup_key.hex()))
    fields += [
        ("lookupKey", lookup_key.hex()),
        ("body", body.hex()),
        ("aad", aad.hex()),
        ("stored", (prefix + sealed).hex()),
    ]
    return "\n".join(f"{k} = {v}" for k, v in fields)


def main():
    k1 = bytes(range(32))
    k2 = det("memjcache vector master key 2", 32)
    k7 = det("memjcache vector master key 7", 32)
    vectors = [
        vector("gcm, hashed key", 1, "orders", 1, k1, True, 1, k1, 1, 1767225600000,
               b"order:42", b'{"total":12.5}', bytes(range(0x10, 0x20)), bytes(range(0xA0, 0xAC))),
        vector("gcm-siv, hashed key under another key, eternal", 2, "orders", 2, k2, True, 1, k1, 2,
               0x7FFFFFFFFFFFFFFF, b"\x00\x01\x02\x03\xff", det("value 2", 100), det("salt 2", 16),
               det("nonce 2", 12)),
        vector("gcm, clear key, empty key and value, key id 65535", 1, "sessions", 65535, k2, False, None, None,
               0, 0, b"", b"", det("salt 3", 16), det("nonce 3", 12)),
        vector("gcm-siv, unicode cache name, 1000-byte value", 2, "K\u00e4se/\u30ad\u30e3\u30c3\u30b7\u30e5", 300, k7,
               True, 7, k7, 15, 1767225600123, det("key 4", 200), det("value 4", 1000), det("salt 4", 16),
               det("nonce 4", 12)),
        vector("gcm, key id 0, 300-byte value", 1, "orders", 0, k7, True, 2, k2, 3, 1800000000000,
               b"customer:7", det("value 5", 300), det("salt 5", 16), det("nonce 5", 12)),
    ]
    print("# memjcache encrypted-envelope test vectors (docs/ENVELOPE.md), format version 1.")
    print("# Written by generate_vectors.py with the Python 'cryptography' package, independently of the Java code.")
    print("# Vectors are separated by blank lines; byte strings are hex, numbers decimal; cacheName is UTF-8 hex.")
    print("# Each vector's writer key is fresh: writerSalt is drawn first, then nonce, then the entry is sealed.")
    print("# The lookup key ring key (hashingKeyId, hashingMasterKey) is the ring's key-hashing key.")
    print()
    print("\n\n".join(vectors))


if __name__ == "__main__":
    main()
