"""Spark SQL text from schema values (patterns, names, enum values): never from the data."""

# What JavaScript's String.prototype.trim removes (parseField trims with it), as a Java regex class.
JS_WHITESPACE = "\t\n\u000b\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
JS_WHITESPACE_CLASS = "[" + "".join(f"\\u{ord(c):04x}" for c in JS_WHITESPACE) + "]"


def sql_string(text):
    """A Spark SQL string literal (backslash escapes on, the default): backslashes and quotes escaped."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def ident(name):
    return "`" + name.replace("`", "``") + "`"


_JS_TRIM = "^" + JS_WHITESPACE_CLASS + "+|" + JS_WHITESPACE_CLASS + "+\\z"


def js_trim_sql(expr):
    return f"regexp_replace({expr}, {sql_string(_JS_TRIM)}, '')"


def full_match(pattern):
    """A pattern that must match the whole text (DuckDB's regexp_full_match), for Java's find (RLIKE)."""
    return "\\A(?:" + pattern + ")\\z"


def end_anchored(pattern, end="\\z"):
    """A JavaScript/RE2 pattern for Java (or, with `end=r"\\Z"`, for Python's re): `$` outside a class means the end
    of the text (Java's and Python's `$` also match before a final line terminator, so `^a$` would accept "a\\n")."""
    out, i, in_class = [], 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "$":
            c = end
        out.append(c)
        i += 1
    return "".join(out)


# The reason for a field that does not parse as its column type (etl/schemas/rejectReasons.ts invalidTypeReason).
INVALID_TYPE_REASONS = {
    "integer": "INVALID_INTEGER",
    "bigint": "INVALID_INTEGER",
    "decimal": "INVALID_DECIMAL",
    "double": "INVALID_DOUBLE",
    "boolean": "INVALID_BOOLEAN",
    "timestamp": "INVALID_TIMESTAMP",
    "date": "INVALID_DATE",
}
