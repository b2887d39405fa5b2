"""Crafted raw exports for the Glue job tests: every kind of bad record the ETL docs list, in bytes."""

EXAM_COLUMNS = [
    "result_id", "exam_id", "exam_title", "subject", "grade_level", "school_id", "school_name", "district_id",
    "region", "class_id", "teacher_id", "student_id", "student_name", "attempt", "started_at", "submitted_at",
    "score", "max_score", "passed",
]
EXAM_VALUES = {
    "exam_id": "EX1", "exam_title": "Algebra", "subject": "mathematics", "grade_level": "5", "school_id": "SCH-1",
    "school_name": "Ashford", "district_id": "D1", "region": "North", "class_id": "C1", "teacher_id": "T1",
    "student_id": "ST1", "student_name": "Ann", "attempt": "1", "started_at": "2025-09-01T09:00:00+02:00",
    "submitted_at": "2025-09-01T10:00:00+02:00", "score": "50", "max_score": "100", "passed": "true",
}


def exam_row(result_id, eol="\n", **fields):
    """One exam_results record (fields given as raw CSV text, quoting included)."""
    values = {**EXAM_VALUES, "result_id": result_id, **fields}
    return (",".join(values[c] for c in EXAM_COLUMNS) + eol).encode("utf-8")


def exam_header(eol="\n", columns=EXAM_COLUMNS):
    return (",".join(columns) + eol).encode("utf-8")


ITEM_HEADER = (
    b"Question ID,resultId,exam_id,school_id,student_id,question_number,skill,response,correct_response,"
    b"is_correct,points,max_points,time_spent_seconds,submitted_at\n"
)


def item_row(question, result="R1", points="1", **kw):
    v = {"skill": "algebra", "response": "A", "correct": "A", "is_correct": "yes", "max_points": "1",
         "time": "30", "submitted": "2025-10-02T08:00:00Z", "school": "SCH-2", **kw}
    return (
        f"{question},{result},EX1,{v['school']},ST1,1,{v['skill']},{v['response']},{v['correct']},{v['is_correct']},"
        f"{points},{v['max_points']},{v['time']},{v['submitted']}\n"
    ).encode("utf-8")


def structural_export():
    """exam_results with a BOM and CRLF: blank lines, quoted newlines, stray and unterminated quotes, a trailing
    comma, invalid UTF-8, text after a closing quote, too few fields, an in-file duplicate."""
    crlf = "\r\n"
    return b"".join(
        [
            b"\xef\xbb\xbf",
            exam_header(crlf),
            exam_row("R1", crlf),
            b"\r\n",
            exam_row("R2", crlf, exam_title='"Algebra\r\npart ""2"""'),
            exam_row("R3", crlf, exam_title='Alg"ebra'),
            exam_row("R4", crlf),
            exam_row("R5", crlf),
            exam_row("R6", crlf, student_name="MXller").replace(b"MXller", b"M\xfcller"),
            exam_row("R7", "," + crlf),
            exam_row("R8", crlf, exam_title='"Alg"x'),
            b"R9,EX1\r\n",
            exam_row("R10", crlf, exam_title='Alg"ebra', grade_level="5x"),
            b"\r\n\r\n",
            exam_row("R1", crlf, score="60"),
            exam_row("R12", crlf, exam_title='"two\n\nblank lines inside"'),
            exam_row("R11", crlf, exam_title='"open'),
            b"and more\r\nlines to the end\r\n",
        ]
    )


def checks_export():
    """exam_results (LF, no BOM) with every per-row reason, precedence cases and accepted spellings."""
    long_title = "x" * 201
    return b"".join(
        [
            exam_header(),
            exam_row("R4", score="70"),  # supersedes R4 of the structural export (a later object)
            exam_row("", exam_title="no id"),
            exam_row("C1", grade_level="5x", score="1.234"),
            exam_row("C2", score="abc", started_at="yesterday"),
            exam_row("C3", score="12.345"),
            exam_row("C4", passed="maybe", max_score="1e3"),
            exam_row("C5", grade_level="13"),
            exam_row("C6", subject="Maths"),
            exam_row("C7", subject=" Mathematics "),
            exam_row("R 8"),
            exam_row('"C9\n"'),
            exam_row("C10", exam_title=long_title),
            exam_row("C11", score="120"),
            exam_row("C12", submitted_at="2025-09-01T08:00:00+02:00"),
            exam_row("C13", started_at="2025-02-30T09:00:00Z"),
            exam_row("C14", started_at="2025-09-01T09:05+02:00", submitted_at="2025-09-01 10:00:00.1234567Z"),
            exam_row("C15", submitted_at="2025-10-31T23:30:00-0130", passed="NO", score=".5", max_score="+7.50"),
            exam_row("C16", grade_level=" 5 ", score="007.1", passed="1", attempt="+2"),
            exam_row("C17", grade_level="99999999999", attempt="0"),
            exam_row("C18", score="-1", max_score="0"),
            exam_row("C19", passed="yes", region=""),
            exam_row("C20", submitted_at="2024-02-29T12:00:00Z", started_at="2024-02-29T11:00:00Z"),
        ]
    )


def open_at_last_line_export():
    """The last line of the object opens a quote: an unterminated record of that one line."""
    return exam_header() + exam_row("L1") + exam_row("L2", passed='"true')


def item_export():
    return b"".join(
        [ITEM_HEADER, item_row("Q1"), item_row("Q2", points="2"), item_row("Q1", result="R2"), item_row("Q1")]
    )


def refused_exports():
    return {
        "exam_results/empty.csv": b"",
        "exam_results/bom_only.csv": b"\xef\xbb\xbf\r\n\n",
        "exam_results/missing.csv": b"result_id,exam_id\nR1,EX1\n",
        "exam_results/unknown.csv": exam_header().replace(b"passed\n", b"passed,shoe_size\n"),
        "exam_results/duplicate.csv": exam_header().replace(b"passed\n", b"passed,Student ID\n"),
        "loose.csv": b"colour,shape\nred,round\n",
        "exam_results/latin1_header.csv": b"r\xe9sult\n1\n",
    }
