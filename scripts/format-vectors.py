#!/usr/bin/env python3
"""Writes the test vectors of docs/format.md, implemented from that document alone.

Usage: python3 scripts/format-vectors.py Tests/DaulatCryptoTests/Vectors
Needs Python's `cryptography` package (pip install cryptography).
"""
import json
import os
import struct
import sys

from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def header(chunk_size, nonce_prefix, key_id, object_id):
    out = b"DAULAT" + bytes([1, 1]) + struct.pack(">I", chunk_size) + nonce_prefix
    for identifier in (key_id, object_id):
        data = identifier.encode()
        out += struct.pack(">H", len(data)) + data
    return out


def seal(key, chunk_size, nonce_prefix, key_id, object_id, plaintext):
    head = header(chunk_size, nonce_prefix, key_id, object_id)
    chunks = [plaintext[i:i + chunk_size] for i in range(0, len(plaintext), chunk_size)] or [b""]
    out = head
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1
        nonce = nonce_prefix + struct.pack(">I", index) + bytes([1 if last else 0])
        out += AESGCM(key).encrypt(nonce, chunk, head)
    return out


def gf_mul(a, b):
    product = 0
    for _ in range(8):
        if b & 1:
            product ^= a
        carry = a & 0x80
        a = (a << 1) & 0xFF
        if carry:
            a ^= 0x1B
        b >>= 1
    return product


def sealed_vectors():
    key = bytes(range(32))
    prefix = bytes.fromhex("a0a1a2a3a4a5a6")
    cases = [
        ("empty", 16, b""),
        ("shorter than one chunk", 16, b"hello"),
        ("exactly one chunk", 16, bytes(range(16))),
        ("exactly two chunks", 16, bytes(range(32))),
        ("three chunks, the last short", 16, bytes((i * 7) & 0xFF for i in range(40))),
        ("default chunk size", 65536, b"Daulat keeps ciphertext where the treaties allow."),
    ]
    vectors = []
    for name, chunk_size, plaintext in cases:
        key_id, object_id = "dek-vector-1", "obj-vector-1"
        vectors.append({
            "name": name,
            "dataKey": key.hex(),
            "chunkSize": chunk_size,
            "noncePrefix": prefix.hex(),
            "keyID": key_id,
            "objectID": object_id,
            "plaintext": plaintext.hex(),
            "sealed": seal(key, chunk_size, prefix, key_id, object_id, plaintext).hex(),
        })
    return vectors


def shamir_vector():
    secret = bytes.fromhex("00ff102030405060708090a0b0c0d0e0f0112233445566778899aabbccddeeff")
    threshold, count = 3, 5
    coefficients = [[(i * 37 + 11) & 0xFF, (i * 91 + 5) & 0xFF] for i in range(len(secret))]
    shares = []
    for x in range(1, count + 1):
        values = []
        for s, (c1, c2) in zip(secret, coefficients):
            values.append(s ^ gf_mul(c1, x) ^ gf_mul(c2, gf_mul(x, x)))
        shares.append({"index": x, "bytes": bytes(values).hex()})
    return {"secret": secret.hex(), "threshold": threshold, "coefficients": [bytes(c).hex() for c in coefficients],
            "shares": shares}


def main():
    directory = sys.argv[1]
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "sealed-object-v1.json"), "w") as out:
        json.dump({"format": "docs/format.md, version 1", "vectors": sealed_vectors()}, out, indent=2)
        out.write("\n")
    with open(os.path.join(directory, "shamir-gf256.json"), "w") as out:
        json.dump(shamir_vector(), out, indent=2)
        out.write("\n")


if __name__ == "__main__":
    main()
