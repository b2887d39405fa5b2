"""The verdict on every data record, as Spark SQL generated from the schema document, mirroring
etl/transform/rowChecksSql.ts and the structural checks of the local reader:

`_why` = `REASON|column|rule` of the first failing check, or NULL for a valid row. Structural first
(INVALID_ENCODING, MALFORMED_ROW: a quote open to the end, text after a closing quote or a quote inside an
unquoted field; WRONG_FIELD_COUNT), then presence, type, range, enum, pattern, length (each reason over the
columns in schema order) and the rules across columns.
`_structural` says whether the local reader (not the checks) refused the record: it only shapes the reject.
"""

from pyspark.sql import functions as F

from .sql_text import INVALID_TYPE_REASONS, end_anchored, full_match, ident, js_trim_sql, sql_string

SEPARATOR = "|"

_SPARK_TYPES = {
    "string": "STRING",
    "integer": "INT",
    "bigint": "BIGINT",
    "double": "DOUBLE",
    "boolean": "BOOLEAN",
    "timestamp": "TIMESTAMP",
    "date": "DATE",
}

# parseField's reading of a timestamp: date, time, optional seconds and fraction, offset.
_TIMESTAMP_PARTS = (
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|([+-])(\d{2}):?(\d{2}))$"
)


def spark_type(column_type):
    if column_type["kind"] == "decimal":
        return f"DECIMAL({column_type['precision']},{column_type['scale']})"
    return _SPARK_TYPES[column_type["kind"]]


def why_text(reason, column="", rule=""):
    return SEPARATOR.join([reason, column, rule])


def _parsed(doc, column_type, s):
    kind = column_type["kind"]
    shaped = lambda sql: f"CASE WHEN {s} RLIKE {sql_string(full_match(doc.type_formats[kind]['pattern']))} THEN {sql} END"  # noqa: E731
    if kind == "string":
        return s
    if kind in ("integer", "bigint"):
        return shaped(f"try_cast({s} AS {spark_type(column_type)})")
    if kind == "double":
        d = f"try_cast({s} AS DOUBLE)"
        return shaped(f"CASE WHEN NOT isnan({d}) AND abs({d}) < double('Infinity') THEN {d} END")
    if kind == "decimal":
        p, sc = column_type["precision"], column_type["scale"]
        fits = f"^[+-]?0*[0-9]{{0,{p - sc}}}([.][0-9]{{0,{sc}}}0*)?$"
        return f"CASE WHEN {s} RLIKE {sql_string(full_match(fits))} THEN try_cast({s} AS {spark_type(column_type)}) END"
    if kind == "boolean":
        cases = [f"WHEN {sql_string(t)} THEN true" for t in doc.boolean_text["true"]]
        cases += [f"WHEN {sql_string(t)} THEN false" for t in doc.boolean_text["false"]]
        return f"CASE lower({s}) {' '.join(cases)} END"
    if kind == "timestamp":
        part = lambda n: f"regexp_extract({s}, {sql_string(_TIMESTAMP_PARTS)}, {n})"  # noqa: E731
        millis = f"cast(substring(concat({part(7)}, '000'), 1, 3) AS INT)"
        seconds = f"cast(coalesce(nullif({part(6)}, ''), '0') AS DECIMAL(8,6)) + {millis} / 1000"
        zone = f"CASE WHEN {part(8)} = 'Z' THEN 'UTC' ELSE concat({part(9)}, {part(10)}, ':', {part(11)}) END"
        stamp = (
            f"make_timestamp(cast({part(1)} AS INT), cast({part(2)} AS INT), cast({part(3)} AS INT), "
            f"cast({part(4)} AS INT), cast({part(5)} AS INT), {seconds}, {zone})"
        )
        return shaped(stamp)
    if kind == "date":
        return shaped(f"try_cast({s} AS DATE)")
    raise ValueError(f"unknown column type {kind}")


def judge(doc, dataset, records):
    """Adds `_why`, `_structural` and every dataset column, typed (meaningful only where `_why` is NULL).

    `records` has `_fields`, `_field_count`, `_idx` (field index of each column in schema order, -1 if absent),
    `_bad_utf8`, `_unterminated`, `_split_error`, `_well_quoted` and `value`.
    """
    columns = dataset["columns"]
    keep = [c for c in records.columns]
    step1 = [f"CASE WHEN _idx[{i}] < 0 THEN NULL ELSE get(_fields, _idx[{i}]) END AS t{i}" for i in range(len(columns))]
    df = records.selectExpr("*", *step1)
    blank = [f"(t{i} IS NULL OR {js_trim_sql(f't{i}')} = '') AS e{i}" for i in range(len(columns))]
    df = df.selectExpr("*", *blank)
    typed = []
    for i, col in enumerate(columns):
        if col["type"]["kind"] == "string":
            typed.append(f"CASE WHEN NOT e{i} THEN t{i} END AS v{i}")
        else:
            typed.append(
                f"CASE WHEN NOT e{i} THEN coalesce({_parsed(doc, col['type'], f't{i}')}, "
                f"{_parsed(doc, col['type'], js_trim_sql(f't{i}'))}) END AS v{i}"
            )
    df = df.selectExpr("*", *typed)
    canonical = []
    for i, col in enumerate(columns):
        allowed = col["constraints"].get("enum")
        if allowed:
            exact = ", ".join(sql_string(a) for a in allowed)
            loose = " ".join(f"WHEN {sql_string(a.lower())} THEN {sql_string(a)}" for a in allowed)
            canonical.append(
                f"CASE WHEN v{i} IN ({exact}) THEN v{i} ELSE CASE lower({js_trim_sql(f'v{i}')}) {loose} END END AS k{i}"
            )
    if canonical:
        df = df.selectExpr("*", *canonical)
    checks = _checks(doc, dataset)
    whens = " ".join(f"WHEN {failed} THEN {sql_string(why)}" for failed, why in checks)
    # What the local reader refuses (its field count reads a stray quote literally; a record that breaks RFC 4180
    # is MALFORMED_ROW before its field count), in the reason order.
    structural = (
        "CASE WHEN _bad_utf8 THEN 'INVALID_ENCODING' "
        "WHEN _unterminated OR _split_error IS NOT NULL THEN 'MALFORMED_ROW' "
        "WHEN size(_fields) != _field_count AND NOT (endswith(value, ',') AND size(_fields) = _field_count + 1) "
        "THEN CASE WHEN _well_quoted THEN 'WRONG_FIELD_COUNT' ELSE 'MALFORMED_ROW' END END"
    )
    df = df.selectExpr("*", f"{structural} AS _structural_reason")
    verdict = (
        "CASE WHEN _structural_reason IS NOT NULL THEN concat(_structural_reason, '||') "
        # A quote inside an unquoted field (the local recheck splits as RFC 4180): MALFORMED_ROW comes before the
        # field count of a record ending with a delimiter and before every check.
        "WHEN NOT _well_quoted THEN 'MALFORMED_ROW||' "
        "WHEN size(_fields) != _field_count THEN 'WRONG_FIELD_COUNT||' "
        f"ELSE {'CASE ' + whens + ' END' if whens else 'NULL'} END"
    )
    df = df.selectExpr("*", f"{verdict} AS _why")
    out = [
        f"{f'k{i}' if col['constraints'].get('enum') else f'v{i}'} AS {ident(col['name'])}"
        for i, col in enumerate(columns)
    ]
    return df.selectExpr(*[ident(c) for c in keep], "_why", "_structural_reason IS NOT NULL AS _structural", *out)


def _checks(doc, dataset):
    columns = dataset["columns"]
    checks = []
    for i, col in enumerate(columns):
        if not col["nullable"]:
            checks.append(("MISSING_REQUIRED", f"e{i}", col["name"], ""))
    for i, col in enumerate(columns):
        kind = col["type"]["kind"]
        if kind != "string":
            checks.append((INVALID_TYPE_REASONS[kind], f"NOT e{i} AND v{i} IS NULL", col["name"], ""))
    for i, col in enumerate(columns):
        c, v, kind = col["constraints"], f"v{i}", col["type"]["kind"]
        outside = [
            f"{v} < {c['min']}" if "min" in c else None,
            f"{v} <= {c['exclusiveMin']}" if "exclusiveMin" in c else None,
            f"{v} > {c['max']}" if "max" in c else None,
            f"{v} >= {c['exclusiveMax']}" if "exclusiveMax" in c else None,
        ]
        outside = [o for o in outside if o]
        if outside and kind != "string":
            checks.append(("OUT_OF_RANGE", f"({' OR '.join(outside)})", col["name"], ""))
        if c.get("enum") and kind == "string":
            checks.append(("INVALID_ENUM", f"{v} IS NOT NULL AND k{i} IS NULL", col["name"], ""))
        if c.get("pattern") and kind == "string":
            checks.append(
                ("PATTERN_MISMATCH", f"NOT ({v} RLIKE {sql_string(end_anchored(c['pattern']))})", col["name"], "")
            )
        if "maxLength" in c and kind == "string":
            checks.append(("TOO_LONG", f"char_length({v}) > {c['maxLength']}", col["name"], ""))
    index = {col["name"]: i for i, col in enumerate(columns)}
    for rule in dataset["rules"]:
        op = "=" if rule["operator"] == "=" else rule["operator"]
        failed = f"NOT (v{index[rule['left']]} {op} v{index[rule['right']]})"
        checks.append(("CONSTRAINT_VIOLATION", failed, "", rule["name"]))
    # Stable sort by reason: within a reason the checks keep schema order.
    checks.sort(key=lambda c: doc.order(c[0]))
    return [(failed, why_text(doc.reason(reason), column, rule)) for reason, failed, column, rule in checks]
