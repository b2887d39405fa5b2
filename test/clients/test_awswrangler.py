"""awswrangler (AWS SDK for pandas) against the local stack: Athena reads both ways, Parquet on S3, the catalog."""

import datetime as dt

import awswrangler as wr
import pandas as pd

from clients_setup import DATA_BUCKET, DATABASE, WORKGROUP


def test_read_sql_query_without_ctas_reads_the_result_csv_typed(aws, scores):
    df = wr.athena.read_sql_query(
        "SELECT school_id, count(*) AS n, sum(score) AS total, min(sat_on) AS first FROM scores "
        "GROUP BY school_id ORDER BY school_id",
        database=DATABASE,
        workgroup=WORKGROUP,
        ctas_approach=False,
        boto3_session=aws,
    )
    assert df["school_id"].tolist() == ["SCH-1", "SCH-2"]
    assert df["n"].tolist() == [3, 2]
    assert df["total"].tolist() == [30.5, 9.25]
    assert df["first"].tolist() == [dt.date(2025, 3, 1), dt.date(2025, 3, 1)]
    assert str(df["n"].dtype) == "Int64"


def test_read_sql_query_with_ctas_reads_the_parquet_the_ctas_wrote_and_drops_its_table(aws, scores):
    df = wr.athena.read_sql_query(
        "SELECT student, score, year FROM scores WHERE year = 2025 ORDER BY student",
        database=DATABASE,
        workgroup=WORKGROUP,
        ctas_approach=True,
        boto3_session=aws,
    )
    assert sorted(df["student"].tolist()) == ["a", "b", "c"]
    assert sorted(df["score"].tolist()) == [7.0, 9.25, 12.5]
    assert set(df["year"].tolist()) == {2025}
    # The temporary table is gone from the catalog and its files from S3.
    assert not [
        t for t in wr.catalog.get_tables(database=DATABASE, boto3_session=aws) if t["Name"].startswith("temp_table_")
    ]


def test_read_sql_query_with_qmark_parameters_sends_them_as_execution_parameters(aws, scores):
    # qmark parameters go to Athena as ExecutionParameters, which are SQL literals: strings quoted, as on AWS.
    df = wr.athena.read_sql_query(
        "SELECT student FROM scores WHERE school_id = ? ORDER BY student",
        database=DATABASE,
        workgroup=WORKGROUP,
        ctas_approach=False,
        params=["'SCH-2'"],
        paramstyle="qmark",
        boto3_session=aws,
    )
    assert df["student"].tolist() == ["c", "e"]


def test_read_sql_query_with_named_parameters_formats_them_client_side(aws, scores):
    df = wr.athena.read_sql_query(
        "SELECT student FROM scores WHERE school_id = :school AND year = :year ORDER BY student",
        database=DATABASE,
        workgroup=WORKGROUP,
        ctas_approach=False,
        params={"school": "SCH-1", "year": 2026},
        boto3_session=aws,
    )
    assert df["student"].tolist() == ["d"]


def test_s3_read_parquet_reads_a_partitioned_dataset(aws, scores):
    df = wr.s3.read_parquet(f"s3://{DATA_BUCKET}/scores/", dataset=True, boto3_session=aws)
    assert len(df) == 5
    assert sorted(df["year"].astype(str).unique().tolist()) == ["2025", "2026"]


def test_catalog_tables_lists_the_glue_tables(aws, scores):
    tables = wr.catalog.tables(database=DATABASE, boto3_session=aws)
    assert "scores" in tables["Table"].tolist()
    assert wr.catalog.does_table_exist(database=DATABASE, table="scores", boto3_session=aws)
    assert wr.catalog.get_table_types(database=DATABASE, table="scores", boto3_session=aws) == {
        "school_id": "string",
        "student": "string",
        "score": "double",
        "sat_on": "date",
        "year": "int",
    }


def test_to_parquet_as_a_partitioned_dataset_registers_a_table_athena_reads(aws, unique):
    df = pd.DataFrame(
        {
            "id": [1, 2, 3, 4],
            "name": ["w", "x", "y", "z"],
            "region": ["north", "north", "south", "south"],
        }
    )
    path = f"s3://{DATA_BUCKET}/{unique}/"
    written = wr.s3.to_parquet(
        df=df,
        path=path,
        dataset=True,
        database=DATABASE,
        table=unique,
        partition_cols=["region"],
        mode="overwrite",
        boto3_session=aws,
    )
    assert len(written["paths"]) == 2
    assert sorted(written["partitions_values"]) == [f"{path}region=north/", f"{path}region=south/"]
    partitions = wr.catalog.get_parquet_partitions(database=DATABASE, table=unique, boto3_session=aws)
    assert sorted(partitions) == [f"{path}region=north/", f"{path}region=south/"]
    back = wr.athena.read_sql_query(
        f"SELECT region, count(*) AS n, sum(id) AS ids FROM {unique} GROUP BY region ORDER BY region",
        database=DATABASE,
        workgroup=WORKGROUP,
        ctas_approach=False,
        boto3_session=aws,
    )
    assert back.to_dict("list") == {"region": ["north", "south"], "n": [2, 2], "ids": [3, 7]}

    # An append adds rows and a partition; overwrite_partitions replaces one partition only.
    wr.s3.to_parquet(
        df=pd.DataFrame({"id": [5], "name": ["v"], "region": ["east"]}),
        path=path,
        dataset=True,
        database=DATABASE,
        table=unique,
        partition_cols=["region"],
        mode="append",
        boto3_session=aws,
    )
    wr.s3.to_parquet(
        df=pd.DataFrame({"id": [9], "name": ["q"], "region": ["north"]}),
        path=path,
        dataset=True,
        database=DATABASE,
        table=unique,
        partition_cols=["region"],
        mode="overwrite_partitions",
        boto3_session=aws,
    )
    again = wr.athena.read_sql_query(
        f"SELECT id FROM {unique} ORDER BY id",
        database=DATABASE,
        workgroup=WORKGROUP,
        ctas_approach=True,
        boto3_session=aws,
    )
    assert again["id"].tolist() == [3, 4, 5, 9]
    assert wr.catalog.delete_table_if_exists(database=DATABASE, table=unique, boto3_session=aws)


def test_ctas_in_a_workgroup_that_does_not_enforce_its_location_writes_under_s3_output(aws, scores):
    # Without an enforced location awswrangler names external_location = '<s3_output>/<temp table>' itself.
    output = "s3://clients-results/wr-primary/"
    df = wr.athena.read_sql_query(
        "SELECT school_id, count(*) AS n FROM scores GROUP BY school_id ORDER BY school_id",
        database=DATABASE,
        workgroup="primary",
        s3_output=output,
        ctas_approach=True,
        keep_files=False,
        boto3_session=aws,
    )
    assert sorted(zip(df["school_id"], df["n"])) == [("SCH-1", 3), ("SCH-2", 2)]
    left = aws.client("s3").list_objects_v2(Bucket="clients-results", Prefix="wr-primary/temp_table_")
    assert left["KeyCount"] == 0


def test_ctas_of_an_empty_result_reads_an_empty_frame_typed_from_the_temporary_table(aws, scores):
    df = wr.athena.read_sql_query(
        "SELECT student, score FROM scores WHERE year = 1999",
        database=DATABASE,
        workgroup=WORKGROUP,
        ctas_approach=True,
        boto3_session=aws,
    )
    assert list(df.columns) == ["student", "score"] and len(df) == 0
    assert str(df["score"].dtype) == "float64"


def test_unload_approach_reads_the_parquet_an_unload_wrote(aws, scores):
    df = wr.athena.read_sql_query(
        "SELECT student, score FROM scores WHERE school_id = 'SCH-1'",
        database=DATABASE,
        workgroup=WORKGROUP,
        ctas_approach=False,
        unload_approach=True,
        s3_output="s3://clients-results/unload/wr/",
        boto3_session=aws,
    )
    assert sorted(df["student"].tolist()) == ["a", "b", "d"]


def test_describe_table_parses_athenas_text_result_with_the_partition_flag(aws, scores):
    described = wr.athena.describe_table(table="scores", database=DATABASE, workgroup=WORKGROUP, boto3_session=aws)
    assert described.to_dict("list") == {
        "Column Name": ["school_id", "student", "score", "sat_on", "year"],
        "Type": ["string", "string", "double", "date", "int"],
        "Partition": [False, False, False, False, True],
        "Comment": ["", "", "", "", ""],
    }


def test_the_athena_cache_reuses_an_earlier_execution_of_the_same_query(aws, scores):
    sql = "SELECT count(*) AS n FROM scores WHERE year = 2026"
    first = wr.athena.read_sql_query(
        sql, database=DATABASE, workgroup=WORKGROUP, ctas_approach=False, keep_files=True, boto3_session=aws
    )
    again = wr.athena.read_sql_query(
        sql,
        database=DATABASE,
        workgroup=WORKGROUP,
        ctas_approach=False,
        athena_cache_settings={"max_cache_seconds": 900},
        boto3_session=aws,
    )
    assert again["n"].tolist() == first["n"].tolist() == [2]
    assert again.query_metadata["QueryExecutionId"] == first.query_metadata["QueryExecutionId"]


def test_chunked_reads_yield_frames_with_every_row(aws, scores):
    for ctas in (False, True):
        chunks = list(
            wr.athena.read_sql_query(
                "SELECT x FROM UNNEST(sequence(1, 300)) AS t(x)",
                database=DATABASE,
                workgroup=WORKGROUP,
                ctas_approach=ctas,
                chunksize=100,
                boto3_session=aws,
            )
        )
        assert sorted(v for c in chunks for v in c["x"].tolist()) == list(range(1, 301))


def test_start_query_execution_and_get_query_results_as_a_frame(aws, scores):
    qid = wr.athena.start_query_execution(
        "SELECT student FROM scores WHERE score > 10", database=DATABASE, workgroup=WORKGROUP, boto3_session=aws
    )
    assert wr.athena.wait_query(query_execution_id=qid, boto3_session=aws)["Status"]["State"] == "SUCCEEDED"
    df = wr.athena.get_query_results(query_execution_id=qid, boto3_session=aws)
    assert sorted(df["student"].tolist()) == ["a", "d"]


def test_a_failing_query_raises_query_failed_with_athenas_reason(aws, scores):
    import pytest

    with pytest.raises(wr.exceptions.QueryFailed, match="COLUMN_NOT_FOUND"):
        wr.athena.read_sql_query(
            "SELECT nope FROM scores", database=DATABASE, workgroup=WORKGROUP, ctas_approach=False, boto3_session=aws
        )


def test_catalog_partition_helpers_and_read_parquet_table(aws, unique):
    path = f"s3://{DATA_BUCKET}/{unique}/"
    wr.s3.to_parquet(
        df=pd.DataFrame({"v": [1, 2, 3], "y": ["2024", "2025", "2025"]}),
        path=path,
        dataset=True,
        database=DATABASE,
        table=unique,
        partition_cols=["y"],
        boto3_session=aws,
    )
    assert wr.catalog.get_partitions(database=DATABASE, table=unique, expression="y = '2025'", boto3_session=aws) == {
        f"{path}y=2025/": ["2025"]
    }
    df = wr.s3.read_parquet_table(database=DATABASE, table=unique, boto3_session=aws)
    assert sorted(df["v"].tolist()) == [1, 2, 3]
    wr.catalog.delete_partitions(table=unique, database=DATABASE, partitions_values=[["2024"]], boto3_session=aws)
    assert list(wr.catalog.get_parquet_partitions(database=DATABASE, table=unique, boto3_session=aws)) == [
        f"{path}y=2025/"
    ]
    assert wr.catalog.delete_table_if_exists(database=DATABASE, table=unique, boto3_session=aws)


def test_s3_helpers_list_describe_and_delete_objects(aws, unique):
    prefix = f"s3://{DATA_BUCKET}/{unique}/"
    wr.s3.to_csv(pd.DataFrame({"a": [1, 2]}), f"{prefix}one.csv", index=False, boto3_session=aws)
    wr.s3.to_json(pd.DataFrame({"a": [3]}), f"{prefix}two.json", orient="records", lines=True, boto3_session=aws)
    assert wr.s3.list_objects(prefix, boto3_session=aws) == [f"{prefix}one.csv", f"{prefix}two.json"]
    assert wr.s3.read_csv(f"{prefix}one.csv", boto3_session=aws)["a"].tolist() == [1, 2]
    assert wr.s3.does_object_exist(f"{prefix}one.csv", boto3_session=aws)
    sizes = wr.s3.size_objects(prefix, boto3_session=aws)
    assert set(sizes) == {f"{prefix}one.csv", f"{prefix}two.json"} and all(v > 0 for v in sizes.values())
    wr.s3.delete_objects(prefix, boto3_session=aws)
    assert wr.s3.list_objects(prefix, boto3_session=aws) == []


def test_show_create_table_returns_the_tables_hive_ddl(aws, scores):
    ddl = wr.athena.show_create_table(table="scores", database=DATABASE, workgroup=WORKGROUP, boto3_session=aws)
    assert ddl.startswith("CREATE EXTERNAL TABLE `clients.scores`( `school_id` string, `student` string,")
    assert "PARTITIONED BY ( `year` int)" in ddl
    assert "LOCATION 's3://clients-data/scores/'" in ddl
    assert "TBLPROPERTIES ( 'classification'='parquet')" in ddl


def test_ctas_of_aggregates_reads_back_in_the_types_athena_reports(aws, scores):
    df = wr.athena.read_sql_query(
        "SELECT school_id, count(*) AS n, avg(score) AS mean, max(sat_on) AS last "
        "FROM scores GROUP BY school_id ORDER BY school_id",
        database=DATABASE,
        workgroup=WORKGROUP,
        ctas_approach=True,
        boto3_session=aws,
    )
    df = df.sort_values("school_id").reset_index(drop=True)
    assert {c: str(t) for c, t in df.dtypes.items()} == {
        "school_id": "string",
        "n": "Int64",
        "mean": "float64",
        "last": "object",
    }
    assert df["n"].tolist() == [3, 2]
    assert df["last"].tolist() == [dt.date(2026, 3, 1), dt.date(2026, 3, 3)]


def test_to_parquet_overwrite_replaces_an_existing_tables_files_and_schema(aws, unique):
    path = f"s3://{DATA_BUCKET}/{unique}/"
    kwargs = dict(path=path, dataset=True, database=DATABASE, table=unique, mode="overwrite", boto3_session=aws)
    wr.s3.to_parquet(df=pd.DataFrame({"a": [1, 2, 3]}), **kwargs)
    wr.s3.to_parquet(df=pd.DataFrame({"a": [7], "b": ["new"]}), **kwargs)
    assert wr.catalog.get_table_types(database=DATABASE, table=unique, boto3_session=aws) == {
        "a": "bigint",
        "b": "string",
    }
    back = wr.athena.read_sql_query(
        f"SELECT a, b FROM {unique}", database=DATABASE, workgroup=WORKGROUP, ctas_approach=False, boto3_session=aws
    )
    assert back.to_dict("list") == {"a": [7], "b": ["new"]}
