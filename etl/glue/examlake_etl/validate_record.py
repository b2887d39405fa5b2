"""etl/schemas/validateRecord.ts and parseField.ts in Python, for the messages of rejected rows only (the verdict
itself is the generated SQL of row_checks.py; the local transform likewise takes the reference validator's
message when it agrees on the reason)."""

import re
from datetime import datetime, timezone

from .sql_text import INVALID_TYPE_REASONS, JS_WHITESPACE, end_anchored

_TIMESTAMP = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|([+-])(\d{2}):?(\d{2}))$"
)


def js_trim(text):
    return text.strip(JS_WHITESPACE)


def js_number(value):
    """A number as JavaScript's String(number) writes it (integers without `.0`)."""
    if isinstance(value, int):
        return str(value)
    if value == int(value) and abs(value) < 1e21:
        return str(int(value))
    text = repr(value)
    return text.replace("e+0", "e+").replace("e-0", "e-")


def js_pattern(pattern):
    """A JavaScript pattern for Python's re: `$` means the end of the text."""
    return re.compile(end_anchored(pattern, r"\Z"))


def _day_exists(year, month, day):
    try:
        datetime(year, month, day)
        return True
    except ValueError:
        return False


def parse_field(doc, column_type, text):
    """(ok, value, reason, message) as parseField gives them."""
    kind = column_type["kind"]
    if kind == "string":
        return True, (None if js_trim(text) == "" else text), None, None
    trimmed = js_trim(text)
    if trimmed == "":
        return True, None, None, None

    def invalid(detail):
        return False, None, INVALID_TYPE_REASONS[kind], f"'{text}' is not {detail}"

    fmt = doc.type_formats[kind]
    if not js_pattern(fmt["pattern"]).search(trimmed):
        return invalid(f"a valid {kind}: {fmt['description']}")
    if kind in ("integer", "bigint"):
        big = int(trimmed)
        limit = 2**31 if kind == "integer" else 2**63
        if big < -limit or big >= limit:
            return invalid(f"within the {32 if kind == 'integer' else 64}-bit range")
        return True, big, None, None
    if kind == "decimal":
        unsigned = trimmed[1:] if trimmed[:1] in ("+", "-") else trimmed
        whole, _, fraction = unsigned.partition(".")
        p, s = column_type["precision"], column_type["scale"]
        if len(fraction.rstrip("0")) > s or len(whole.lstrip("0")) > p - s:
            return invalid(f"a decimal({p},{s}) (at most {p - s} digits before the point and {s} after it)")
        return True, float(trimmed), None, None
    if kind == "double":
        value = float(trimmed)
        if value != value or value in (float("inf"), float("-inf")):
            return invalid("a finite number")
        return True, value, None, None
    if kind == "boolean":
        return True, trimmed.lower() in doc.boolean_text["true"], None, None
    if kind == "timestamp":
        m = _TIMESTAMP.match(trimmed)
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if not _day_exists(year, month, day):
            return invalid("a timestamp of an existing day")
        millis = int(((m.group(7) or "") + "000")[:3])
        offset = 0 if m.group(8) == "Z" else (-1 if m.group(9) == "-" else 1) * (int(m.group(10)) * 60 + int(m.group(11)))
        local = datetime(year, month, day, int(m.group(4)), int(m.group(5)), int(m.group(6) or 0), tzinfo=timezone.utc)
        return True, int(local.timestamp()) * 1000 + millis - offset * 60000, None, None
    if kind == "date":
        y, mo, d = (int(x) for x in trimmed.split("-"))
        return (True, trimmed, None, None) if _day_exists(y, mo, d) else invalid("a date that exists")
    raise ValueError(kind)


def _range_text(c):
    parts = [
        f"at least {js_number(c['min'])}" if "min" in c else None,
        f"greater than {js_number(c['exclusiveMin'])}" if "exclusiveMin" in c else None,
        f"at most {js_number(c['max'])}" if "max" in c else None,
        f"less than {js_number(c['exclusiveMax'])}" if "exclusiveMax" in c else None,
    ]
    return "not " + " and ".join(p for p in parts if p)


def canonical_enum(allowed, value):
    wanted = js_trim(value).lower()
    return next((a for a in allowed if a.lower() == wanted), None)


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _range(col, c, value):
    if not _is_number(value):
        return None
    low = ("min" in c and value < c["min"]) or ("exclusiveMin" in c and value <= c["exclusiveMin"])
    high = ("max" in c and value > c["max"]) or ("exclusiveMax" in c and value >= c["exclusiveMax"])
    if not low and not high:
        return None
    return "OUT_OF_RANGE", col["name"], f"{col['name']} {js_number(value)} is {_range_text(c)}."


def _enum(col, c, value):
    if c.get("enum") and isinstance(value, str) and canonical_enum(c["enum"], value) is None:
        return "INVALID_ENUM", col["name"], f"{col['name']} '{value}' is not one of {', '.join(c['enum'])}."
    return None


def _pattern(col, c, value):
    if c.get("pattern") and isinstance(value, str) and not js_pattern(c["pattern"]).search(value):
        return "PATTERN_MISMATCH", col["name"], f"{col['name']} '{value}' does not match {c['pattern']}."
    return None


def _length(col, c, value):
    if "maxLength" in c and isinstance(value, str) and len(value) > c["maxLength"]:
        return "TOO_LONG", col["name"], f"{col['name']} is longer than {c['maxLength']} characters."
    return None


_OPS = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    "=": lambda a, b: a == b,
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
}


def validate_record(doc, dataset, field_count, index_of, fields):
    """(reason, message) of the first failing check, or None for a valid row (validateRecord's order)."""
    if len(fields) != field_count:
        return "WRONG_FIELD_COUNT", f"The row has {len(fields)} fields; the header has {field_count}."
    columns = dataset["columns"]
    text = {c["name"]: (fields[index_of[c["name"]]] if c["name"] in index_of else "") for c in columns}
    for col in columns:
        if not col["nullable"] and js_trim(text[col["name"]]) == "":
            return "MISSING_REQUIRED", f"{col['name']} is required."
    values, failure = {}, None
    for col in columns:
        ok, value, reason, message = parse_field(doc, col["type"], text[col["name"]])
        if ok:
            values[col["name"]] = value
        elif failure is None or doc.order(reason) < doc.order(failure[0]):
            # The format descriptions end with a full stop already: the message ends with one.
            failure = (reason, f"{col['name']}: {message}{'' if message.endswith('.') else '.'}")
    if failure:
        return failure
    for check in (_range, _enum, _pattern, _length):
        for col in columns:
            value = values.get(col["name"])
            if value is None:
                continue
            found = check(col, col["constraints"], value)
            if found:
                return found[0], found[2]
    for rule in dataset["rules"]:
        left, right = values.get(rule["left"]), values.get(rule["right"])
        if left is None or right is None:
            continue
        if not _OPS[rule["operator"]](left, right):
            return (
                "CONSTRAINT_VIOLATION",
                f"Rule {rule['name']} fails: {rule['left']} {rule['operator']} {rule['right']} ({rule['description']})",
            )
    return None
