"""`student_key`: hex HMAC-SHA-256 of `student_id` under the secret (etl/transform/studentKey.ts), as a column
expression: `sha2(opad || unhex(sha2(ipad || id)))` (RFC 2104), no Python per row."""

import hashlib

from pyspark.sql import functions as F

BLOCK = 64


def student_key_pads(secret):
    if len(secret) < 32:
        raise ValueError("The student key secret must be at least 32 bytes.")
    key = hashlib.sha256(secret).digest() if len(secret) > BLOCK else secret
    key = key.ljust(BLOCK, b"\0")
    return bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)


def student_key_column(secret, column):
    ipad, opad = student_key_pads(secret)
    inner = F.sha2(F.concat(F.lit(bytearray(ipad)), F.encode(column, "UTF-8")), 256)
    return F.when(column.isNotNull(), F.sha2(F.concat(F.lit(bytearray(opad)), F.unhex(inner)), 256))
