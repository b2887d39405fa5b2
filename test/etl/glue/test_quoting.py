"""The quote-to-quote scan of a line gives the byte-by-byte state machine's answer on every short line of quotes,
commas, CRs and letters."""

import itertools

from examlake_etl.quoting import _line_end_state_bytewise, line_end_state, split_lenient, split_strict


def test_the_jumping_scan_equals_the_bytewise_state_machine():
    for n in range(7):
        for combo in itertools.product(b'",\ra', repeat=n):
            line = bytes(combo)
            for quoted in (False, True):
                assert line_end_state(line, quoted) == _line_end_state_bytewise(line, quoted), (line, quoted)


def test_a_stray_quote_is_literal_for_the_reader_and_refused_by_rfc_4180():
    assert split_lenient('1,b"c,3') == (["1", 'b"c', "3"], None, False)
    assert split_strict('1,b"c,3') == (None, "A quote appears inside an unquoted field at character 4.")
    assert split_lenient('"a""b",c') == (['a"b', "c"], None, True)
    assert split_lenient('"a"x,c')[1] == "Text follows a closing quote at character 4."


def test_positions_in_quote_messages_are_the_quotes_own_counted_in_code_points():
    # The emoji is one character (two UTF-16 units), as TOO_LONG counts characters.
    assert split_strict('a,\U0001F600b"c') == (None, "A quote appears inside an unquoted field at character 5.")
    assert split_strict('"\U0001F600"x,c') == (None, "Text follows a closing quote at character 4.")
    assert split_lenient('"\U0001F600"x,c')[1] == "Text follows a closing quote at character 4."


def test_records_quoted_as_rfc_4180_are_split_in_the_jvm_exactly_as_the_python_splitter_splits_them(spark):
    # Records over JVM_REGEX_CHARS and misquoted ones take the Python branch; the answer is the same.
    from examlake_etl.split_fields import split_fields

    records = [
        "a,b,c", '"a,b",c', '"a""b",,"",x', 'a,"x\ny",z', ",b", "a,", "", '"""x"', '"","",""', '"é,ü",1',
        'a,"b",', '"x\r\ny","",,"q""""w"', 'a,"b"c,d', 'a,b"c,d', '"open,x', '"a",b"', '  "a",b',
        # Longer than the JVM's limit: split in Python, the same fields.
        '"' + "a," * 3000 + '",x', ',"q"' * 2000,
    ]
    frame = spark.createDataFrame([(r, '"' in r) for r in records], ["value", "_quoted"])
    split = {r["value"]: (r["_fields"], r["_split_error"], r["_well_quoted"]) for r in split_fields(frame).collect()}
    assert split == {r: split_lenient(r) for r in records}


def test_line_ends_in_the_jvm_equal_the_python_scan_on_every_short_line_and_on_long_lines(spark):
    from examlake_etl.quoting import JVM_REGEX_CHARS
    from examlake_etl.read_records import line_ends

    lines = [bytes(c).decode() for n in range(8) for c in itertools.product(b'",\ra', repeat=n)]
    # Longer than the JVM limit: judged by the Python scan, with the same answer.
    lines += ['"' + "a," * JVM_REGEX_CHARS, 'x,"' + '""' * JVM_REGEX_CHARS + '",y', "é,\"ü\"\"" + "b" * JVM_REGEX_CHARS]
    frame = spark.createDataFrame([(line,) for line in lines], ["value"])
    ends = {r["value"]: (r["_ends"]["from_field"], r["_ends"]["from_quoted"]) for r in line_ends(frame).collect()}
    assert len(ends) == len(lines)
    for line in lines:
        data = line.encode()
        assert ends[line] == (line_end_state(data, False), line_end_state(data, True)), line
