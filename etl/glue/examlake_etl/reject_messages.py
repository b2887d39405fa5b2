"""The rejects file's lines (etl/transform/RejectedRow.ts, writeRejects.ts), built by a UDF over rejected rows only.

Each line is the JSON object the local transform writes, keys in its order: a record its CSV reader refused
(`structural`) is `{source, reason, line, text, message[, base64]}`; a row the checks refused is
`{source, line, reason[, column][, rule], text, message}`. The message is the reference validator's when it gives
the same reason, else `<column or rule>: <the reason's description>`.
"""

import base64
import json

from pyspark.sql import functions as F
from pyspark.sql import types as T

from .quoting import split_strict
from .validate_record import validate_record

OPEN_QUOTE = "A quoted field is still open at the end of the object."
BAD_BYTES = "The row holds bytes that are not valid UTF-8."


def reject_json(doc, dataset, source, line, why, raw, unterminated, structural, field_count, indexes):
    reason, column, rule = (why.split("|") + ["", ""])[:3]
    text = raw.decode("utf-8", "replace")
    if structural:
        record = {"source": source, "reason": reason, "line": line, "text": text}
        if reason == "INVALID_ENCODING":
            record["message"] = BAD_BYTES
            record["base64"] = base64.b64encode(raw).decode("ascii")
        elif reason == "WRONG_FIELD_COUNT":
            fields, problem = split_strict(text)
            record["message"] = (
                f"The row has {len(fields)} fields; the header has {field_count}." if fields is not None else problem
            )
        else:
            fields, problem = split_strict(text)
            record["message"] = OPEN_QUOTE if unterminated else (problem or doc.reason_descriptions[reason])
        return _dumps(record)
    record = {"source": source, "line": line, "reason": reason}
    if column:
        record["column"] = column
    if rule:
        record["rule"] = rule
    record["text"] = text
    if reason == "DUPLICATE_IN_FILE":
        record["message"] = f"An earlier row of this object has the same {', '.join(dataset['naturalKey'])}."
    else:
        message = _reference_message(doc, dataset, raw, reason, field_count, indexes)
        record["message"] = message if message is not None else f"{column or rule}: {doc.reason_descriptions[reason]}"
    return _dumps(record)


def _reference_message(doc, dataset, raw, reason, field_count, indexes):
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    fields, problem = split_strict(text)
    if fields is None:
        return problem if reason == "MALFORMED_ROW" else None
    index_of = {c["name"]: i for c, i in zip(dataset["columns"], indexes) if i >= 0}
    found = validate_record(doc, dataset, field_count, index_of, fields)
    return found[1] if found is not None and found[0] == reason else None


def _dumps(record):
    """JSON as JavaScript's JSON.stringify writes it (no spaces, non-ASCII kept, lone surrogates escaped)."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def reject_lines(doc, dataset, rejected):
    """`rejected` (columns `_source`, `_line`, `_why`, `value`, `_unterminated`, `_structural`, `_field_count`,
    `_idx`) to a column `_json` holding each reject's line."""

    @F.udf(T.StringType())
    def to_json(source, line, why, raw, unterminated, structural, field_count, indexes):
        return reject_json(
            doc, dataset, source, line, why, bytes(raw), unterminated, structural, field_count, list(indexes)
        )

    return rejected.withColumn(
        "_json",
        to_json(
            "_source",
            "_line",
            "_why",
            F.col("value").cast("binary"),
            "_unterminated",
            "_structural",
            "_field_count",
            "_idx",
        ),
    )
