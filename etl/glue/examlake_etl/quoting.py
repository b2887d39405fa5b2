"""CSV quoting as the local transform reads it (`etl/transform/splitRecords.ts`), on bytes or text of one record.

A quote opens a quoted field only at the start of a field; in an unquoted field it is a literal (DuckDB reads it
so, RFC 4180 forbids it); inside quotes `""` is an escaped quote and `"` closes the quoting. Pure Python, used
inside the UDFs that see only the lines and records holding a quote.
"""

# The longest line or record judged by Java regular expressions (split_fields.py, read_records.py): their loops
# recurse once per field or quote, so a text of very many could overflow the stack; longer ones go to Python.
JVM_REGEX_CHARS = 4096

QUOTE = 0x22
LF = 0x0A
CR = 0x0D
COMMA = 0x2C

FIELD_START = 0
UNQUOTED = 1
QUOTED = 2
QUOTE_IN_QUOTED = 3


def line_end_state(data, quoted_at_start):
    """True when a line (bytes without its LF) leaves a quoted field open, starting inside one or not.

    Only whether the state is QUOTED at the line end matters: that is what makes the next line continue the record.
    Jumps from quote to quote (native `find`): the bytes between two quotes matter only through the last one that
    is not a CR (a comma starts a field, anything else makes the field unquoted), as in splitRecords.ts.
    """
    state = QUOTED if quoted_at_start else FIELD_START
    i, n = 0, len(data)
    while True:
        q = data.find(b'"', i)
        if state == QUOTED:
            if q < 0:
                return True
            state, i = QUOTE_IN_QUOTED, q + 1
            continue
        end = n if q < 0 else q
        k = end - 1
        while k >= i and data[k] == CR:
            k -= 1
        if k >= i:
            state = FIELD_START if data[k] == COMMA else UNQUOTED
        if q < 0:
            return False
        state = QUOTED if state in (FIELD_START, QUOTE_IN_QUOTED) else UNQUOTED
        i = q + 1


def _line_end_state_bytewise(data, quoted_at_start):
    """The same state machine byte by byte: the statement `line_end_state` is tested against."""
    state = QUOTED if quoted_at_start else FIELD_START
    for b in data:
        if state == QUOTED:
            if b == QUOTE:
                state = QUOTE_IN_QUOTED
        elif state == QUOTE_IN_QUOTED:
            if b == QUOTE:
                state = QUOTED
            elif b == COMMA:
                state = FIELD_START
            elif b != CR:
                state = UNQUOTED
        elif b == QUOTE:
            state = QUOTED if state == FIELD_START else UNQUOTED
        elif b == COMMA:
            state = FIELD_START
        elif b != CR:
            state = UNQUOTED
    return state == QUOTED


def _scan(text):
    """Fields as DuckDB's reader reads them: (fields, error, stray) where `error` is set when the record cannot be
    read (a quote left open, text after a closing quote) and `stray` is the index of the first quote inside an
    unquoted field (literal to the reader, forbidden by RFC 4180), if any, which always precedes `error`."""
    fields = []
    stray = None
    i = 0
    n = len(text)
    while True:
        if i < n and text[i] == '"':
            value = []
            j = i + 1
            while True:
                q = text.find('"', j)
                if q < 0:
                    return None, "A quoted field is not closed.", stray
                value.append(text[j:q])
                if q + 1 < n and text[q + 1] == '"':
                    value.append('"')
                    j = q + 2
                    continue
                i = q + 1
                break
            fields.append("".join(value))
            if i == n:
                return fields, None, stray
            if text[i] != ",":
                return None, f"Text follows a closing quote at character {i + 1}.", stray
            i += 1
        else:
            comma = text.find(",", i)
            end = n if comma < 0 else comma
            value = text[i:end]
            if stray is None:
                quote = value.find('"')
                if quote >= 0:
                    stray = i + quote
            fields.append(value)
            if comma < 0:
                return fields, None, stray
            i = comma + 1


def split_lenient(text):
    """Fields as DuckDB's reader reads them (a quote inside an unquoted field is literal).

    Returns (fields, error, well_quoted): `error` is set when text follows a closing quote (DuckDB refuses the
    record: MALFORMED_ROW); `well_quoted` is False when a quote sits inside an unquoted field, which RFC 4180
    forbids and the local transform rejects as MALFORMED_ROW when the row passes every other check.
    """
    fields, error, stray = _scan(text)
    return fields, error, stray is None


def split_strict(text):
    """`splitFields` of splitRecords.ts: (fields, None) or (None, message) when the record breaks RFC 4180."""
    fields, error, stray = _scan(text)
    if stray is not None:
        # The quote's own position, in characters (code points, as str indexes count and TOO_LONG counts).
        return None, f"A quote appears inside an unquoted field at character {stray + 1}."
    return (None, error) if error else (fields, None)
