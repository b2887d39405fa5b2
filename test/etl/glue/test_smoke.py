from conftest import run_core

HEADER = b"result_id,exam_id,exam_title,subject,grade_level,school_id,school_name,district_id,region,class_id,teacher_id,student_id,student_name,attempt,started_at,submitted_at,score,max_score,passed\n"


def row(rid, score="50", subject="mathematics", extra=""):
    return (
        f"{rid},EX1,Algebra,{subject},5,SCH-1,School,D1,North,C1,T1,ST1,Ann,1,2025-09-01T09:00:00+02:00,"
        f"2025-09-01T10:00:00+02:00,{score},100,true{extra}\n"
    ).encode()


def test_a_small_export_is_written_and_rejects_are_listed(spark, doc, tmp_path):
    run = run_core(spark, doc, tmp_path, {"exam_results/a.csv": HEADER + row("R1") + row("R2", score="x") + row("R1")})
    d = run.dataset("exam_results")
    print(d, run.rejects("exam_results"))
    assert d["rowsIn"] == 3
    assert run.rows("exam_results").count() == 1
