"""PyAthena against the local stack: the DB-API cursor (client-side and Athena-side parameters), the pandas cursor."""

import datetime as dt

import pytest
from pyathena import connect
from pyathena.error import DatabaseError, OperationalError
from pyathena.pandas.cursor import PandasCursor

from clients_setup import DATABASE, OUTPUT, REGION, WORKGROUP


@pytest.fixture
def connection(aws, scores):
    conn = connect(region_name=REGION, schema_name=DATABASE, work_group=WORKGROUP, s3_staging_dir=OUTPUT)
    yield conn
    conn.close()


def test_the_cursor_fetches_typed_rows_and_describes_the_columns(connection):
    cursor = connection.cursor()
    cursor.execute(
        "SELECT school_id, count(*) AS n, max(sat_on) AS last FROM scores GROUP BY school_id ORDER BY school_id"
    )
    assert [d[0] for d in cursor.description] == ["school_id", "n", "last"]
    assert [d[1] for d in cursor.description] == ["varchar", "bigint", "date"]
    assert cursor.fetchall() == [("SCH-1", 3, dt.date(2026, 3, 1)), ("SCH-2", 2, dt.date(2026, 3, 3))]
    assert cursor.query_id
    assert cursor.state == "SUCCEEDED"


def test_pyformat_parameters_are_quoted_by_the_client(connection):
    cursor = connection.cursor()
    cursor.execute(
        "SELECT student FROM scores WHERE school_id = %(school)s AND score > %(min)s ORDER BY student",
        {"school": "SCH-1", "min": 10},
    )
    assert cursor.fetchall() == [("a",), ("d",)]


def test_qmark_parameters_go_to_athena_as_execution_parameters(aws, connection):
    # PyAthena sends qmark parameters unchanged as ExecutionParameters: SQL literals, strings quoted, as on AWS.
    cursor = connection.cursor()
    cursor.execute(
        "SELECT student FROM scores WHERE school_id = ? AND year = ? ORDER BY student",
        ["'SCH-2'", "2025"],
        paramstyle="qmark",
    )
    assert cursor.fetchall() == [("c",)]
    execution = aws.client("athena").get_query_execution(QueryExecutionId=cursor.query_id)["QueryExecution"]
    assert execution["ExecutionParameters"] == ["'SCH-2'", "2025"]


def test_fetchmany_pages_through_a_result_longer_than_one_page(connection):
    cursor = connection.cursor(arraysize=1000)
    cursor.execute("SELECT x FROM UNNEST(sequence(1, 2500)) AS t(x) ORDER BY x")
    rows = cursor.fetchall()
    assert [r[0] for r in rows] == list(range(1, 2501))


def test_a_failing_query_raises_with_athenas_reason(connection):
    cursor = connection.cursor()
    with pytest.raises(OperationalError) as caught:
        cursor.execute("SELECT * FROM nope")
    assert "TABLE_NOT_FOUND" in str(caught.value)


def test_the_pandas_cursor_reads_the_result_csv_into_a_typed_frame(connection):
    cursor = connection.cursor(PandasCursor)
    df = cursor.execute(
        "SELECT student, score, sat_on, year FROM scores WHERE year = %(year)d ORDER BY student", {"year": 2026}
    ).as_pandas()
    assert df["student"].tolist() == ["d", "e"]
    assert df["score"].iloc[0] == 11.0 and df["score"].isna().iloc[1]
    assert str(df["year"].dtype) == "Int64"  # PyAthena reads every Athena integer type as Int64
    assert [d.date() if hasattr(d, "date") else d for d in df["sat_on"]] == [dt.date(2026, 3, 1), dt.date(2026, 3, 3)]


def test_create_table_as_and_drop_table_through_the_cursor(connection, unique):
    cursor = connection.cursor()
    cursor.execute(
        f"CREATE TABLE {unique} WITH (format = 'PARQUET', partitioned_by = ARRAY['year']) AS "
        "SELECT student, score, year FROM scores"
    )
    assert cursor.rowcount == 5
    cursor.execute(f"SELECT year, count(*) FROM {unique} GROUP BY year ORDER BY year")
    assert cursor.fetchall() == [(2025, 3), (2026, 2)]
    cursor.execute(f"DROP TABLE {unique}")
    with pytest.raises(DatabaseError):
        cursor.execute(f"SELECT * FROM {unique}")


def test_the_pandas_cursor_with_unload_reads_the_parquet_through_the_manifest(connection):
    cursor = connection.cursor(PandasCursor, unload=True)
    df = cursor.execute("SELECT student, score FROM scores WHERE school_id = 'SCH-2'").as_pandas()
    assert sorted(df["student"].tolist()) == ["c", "e"]
    assert df.set_index("student")["score"].isna().to_dict() == {"c": False, "e": True}


def test_show_tables_through_the_cursor_and_the_pandas_cursor(connection):
    cursor = connection.cursor()
    cursor.execute("SHOW TABLES 'scor*'")
    assert cursor.fetchall() == [("scores",)]
    df = connection.cursor(PandasCursor).execute("SHOW TABLES 'scor*'").as_pandas()
    assert df["tab_name"].tolist() == ["scores"]


def test_the_cursor_reads_catalog_metadata_through_athenas_metadata_apis(connection):
    cursor = connection.cursor()
    assert DATABASE in [d.name for d in cursor.list_databases(catalog_name="AwsDataCatalog")]
    metadata = cursor.get_table_metadata("scores")
    assert [(c.name, c.type) for c in metadata.columns] == [
        ("school_id", "string"),
        ("student", "string"),
        ("score", "double"),
        ("sat_on", "date"),
    ]
    assert [(c.name, c.type) for c in metadata.partition_keys] == [("year", "int")]
    assert metadata.location == "s3://clients-data/scores/"
    assert metadata.serde_serialization_lib == "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
    assert "scores" in [t.name for t in cursor.list_table_metadata(expression="sco*")]
