"""boto3 against the local stack: Athena's query life and result paging, its error shapes, S3 and Glue calls."""

import time

import pytest

from clients_setup import DATABASE, WORKGROUP


def run_query(athena, sql, **extra):
    qid = athena.start_query_execution(
        QueryString=sql, WorkGroup=WORKGROUP, QueryExecutionContext={"Database": DATABASE}, **extra
    )["QueryExecutionId"]
    while True:
        execution = athena.get_query_execution(QueryExecutionId=qid)["QueryExecution"]
        if execution["Status"]["State"] in ("SUCCEEDED", "FAILED", "CANCELLED"):
            return execution
        time.sleep(0.05)


def test_a_select_succeeds_with_its_statement_type_and_result_location(aws, scores):
    athena = aws.client("athena")
    execution = run_query(athena, "SELECT count(*) AS n FROM scores")
    assert execution["Status"]["State"] == "SUCCEEDED"
    assert execution["StatementType"] == "DML"
    assert (
        execution["ResultConfiguration"]["OutputLocation"]
        == f"s3://clients-results/athena/{execution['QueryExecutionId']}.csv"
    )
    results = athena.get_query_results(QueryExecutionId=execution["QueryExecutionId"])
    assert [c["Name"] for c in results["ResultSet"]["ResultSetMetadata"]["ColumnInfo"]] == ["n"]
    assert results["ResultSet"]["ResultSetMetadata"]["ColumnInfo"][0]["Type"] == "bigint"
    assert [[d.get("VarCharValue") for d in r["Data"]] for r in results["ResultSet"]["Rows"]] == [["n"], ["5"]]


def test_the_results_paginator_pages_through_every_row_header_first(aws, scores):
    athena = aws.client("athena")
    execution = run_query(athena, "SELECT x FROM UNNEST(sequence(1, 25)) AS t(x) ORDER BY x")
    pages = list(
        athena.get_paginator("get_query_results").paginate(
            QueryExecutionId=execution["QueryExecutionId"], PaginationConfig={"PageSize": 10}
        )
    )
    assert [len(p["ResultSet"]["Rows"]) for p in pages] == [10, 10, 6]
    values = [r["Data"][0]["VarCharValue"] for p in pages for r in p["ResultSet"]["Rows"]]
    assert values == ["x"] + [str(i) for i in range(1, 26)]


def test_a_null_is_a_datum_without_a_value(aws, scores):
    athena = aws.client("athena")
    execution = run_query(athena, "SELECT score FROM scores WHERE student = 'e'")
    rows = athena.get_query_results(QueryExecutionId=execution["QueryExecutionId"])["ResultSet"]["Rows"]
    assert rows[1]["Data"] == [{}]


def test_execution_parameters_are_bound_as_on_athena(aws, scores):
    athena = aws.client("athena")
    execution = run_query(
        athena,
        "SELECT student FROM scores WHERE school_id = ? AND year = ? ORDER BY student",
        ExecutionParameters=["'SCH-1'", "2025"],
    )
    rows = athena.get_query_results(QueryExecutionId=execution["QueryExecutionId"])["ResultSet"]["Rows"]
    assert [r["Data"][0]["VarCharValue"] for r in rows[1:]] == ["a", "b"]


def test_a_query_on_a_missing_table_fails_with_athenas_error(aws, scores):
    execution = run_query(aws.client("athena"), "SELECT * FROM nope")
    assert execution["Status"]["State"] == "FAILED"
    assert execution["Status"]["StateChangeReason"].startswith("TABLE_NOT_FOUND: line 1:15:")
    assert execution["Status"]["AthenaError"]["ErrorCategory"] == 2


def test_an_unknown_query_id_raises_invalid_request_with_an_athena_error_code(aws):
    athena = aws.client("athena")
    with pytest.raises(athena.exceptions.InvalidRequestException) as caught:
        athena.get_query_execution(QueryExecutionId="00000000-0000-0000-0000-000000000000")
    assert caught.value.response["AthenaErrorCode"] == "INVALID_INPUT"
    assert "was not found" in caught.value.response["Error"]["Message"]


def test_results_of_a_failed_query_raise_invalid_request(aws, scores):
    athena = aws.client("athena")
    execution = run_query(athena, "SELECT * FROM nope")
    with pytest.raises(athena.exceptions.InvalidRequestException) as caught:
        athena.get_query_results(QueryExecutionId=execution["QueryExecutionId"])
    assert "Query did not finish successfully. Final query state: FAILED" in caught.value.response["Error"]["Message"]


def test_list_objects_v2_pages_and_delete_objects_removes_them(aws):
    s3 = aws.client("s3")
    for i in range(7):
        s3.put_object(Bucket="clients-data", Key=f"paging/{i:02d}.txt", Body=b"x")
    pages = list(
        s3.get_paginator("list_objects_v2").paginate(
            Bucket="clients-data", Prefix="paging/", PaginationConfig={"PageSize": 3}
        )
    )
    assert [p["KeyCount"] for p in pages] == [3, 3, 1]
    keys = [o["Key"] for p in pages for o in p["Contents"]]
    deleted = s3.delete_objects(Bucket="clients-data", Delete={"Objects": [{"Key": k} for k in keys]})
    assert sorted(d["Key"] for d in deleted["Deleted"]) == keys
    assert s3.list_objects_v2(Bucket="clients-data", Prefix="paging/")["KeyCount"] == 0


def test_upload_fileobj_over_the_threshold_goes_multipart_and_reads_back(aws):
    import io

    from boto3.s3.transfer import TransferConfig

    s3 = aws.client("s3")
    body = bytes(range(256)) * (6 * 1024 * 1024 // 256 * 2)  # 12 MiB: three 5 MiB parts
    config = TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024)
    s3.upload_fileobj(io.BytesIO(body), "clients-data", "big/object.bin", Config=config)
    assert s3.get_object(Bucket="clients-data", Key="big/object.bin")["Body"].read() == body
    assert s3.get_object(Bucket="clients-data", Key="big/object.bin", Range="bytes=10-19")["Body"].read() == body[10:20]


def test_a_missing_key_raises_no_such_key(aws):
    s3 = aws.client("s3")
    with pytest.raises(s3.exceptions.NoSuchKey):
        s3.get_object(Bucket="clients-data", Key="missing")


def test_glue_get_table_answers_the_table_and_an_unknown_one_raises_entity_not_found(aws, scores):
    glue = aws.client("glue")
    table = glue.get_table(DatabaseName=DATABASE, Name="scores")["Table"]
    assert [c["Name"] for c in table["PartitionKeys"]] == ["year"]
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_table(DatabaseName=DATABASE, Name="nope")


def test_creating_a_table_twice_raises_already_exists(aws, scores):
    glue = aws.client("glue")
    table = glue.get_table(DatabaseName=DATABASE, Name="scores")["Table"]
    with pytest.raises(glue.exceptions.AlreadyExistsException):
        glue.create_table(
            DatabaseName=DATABASE,
            TableInput={"Name": "scores", "StorageDescriptor": table["StorageDescriptor"]},
        )


def test_create_table_as_writes_parquet_registers_the_table_and_answers_as_ddl(aws, scores, unique):
    athena, s3, glue = aws.client("athena"), aws.client("s3"), aws.client("glue")
    location = f"s3://clients-data/ctas/{unique}/"
    execution = run_query(
        athena,
        f"CREATE TABLE {unique} WITH (external_location = '{location}', format = 'PARQUET', "
        "write_compression = 'SNAPPY', partitioned_by = ARRAY['school_id']) AS "
        "SELECT student, score, school_id FROM scores WHERE year = 2025",
    )
    assert execution["Status"]["State"] == "SUCCEEDED", execution["Status"]
    assert (execution["StatementType"], execution["SubstatementType"]) == ("DDL", "CREATE_TABLE_AS_SELECT")
    manifest = execution["Statistics"]["DataManifestLocation"]
    assert manifest == execution["ResultConfiguration"]["OutputLocation"].replace(".csv", "-manifest.csv")
    bucket, key = manifest[len("s3://") :].split("/", 1)
    files = s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode().splitlines()
    assert sorted(f.rsplit("/", 2)[1] for f in files) == ["school_id=SCH-1", "school_id=SCH-2"]
    assert all(f.startswith(location) for f in files)
    assert athena.get_query_results(QueryExecutionId=execution["QueryExecutionId"])["UpdateCount"] == 3

    table = glue.get_table(DatabaseName=DATABASE, Name=unique)["Table"]
    assert [(c["Name"], c["Type"]) for c in table["StorageDescriptor"]["Columns"]] == [
        ("student", "string"),
        ("score", "double"),
    ]
    assert table["PartitionKeys"] == [{"Name": "school_id", "Type": "string"}]
    assert table["StorageDescriptor"]["Location"] == location.rstrip("/")
    partitions = glue.get_partitions(DatabaseName=DATABASE, TableName=unique, Expression="school_id = 'SCH-2'")
    assert [p["Values"] for p in partitions["Partitions"]] == [["SCH-2"]]

    again = run_query(athena, f"CREATE TABLE {unique} AS SELECT 1 AS x")
    assert again["Status"]["State"] == "FAILED"
    assert again["Status"]["StateChangeReason"].startswith("TABLE_ALREADY_EXISTS")
    dropped = run_query(athena, f"DROP TABLE {unique}")
    assert (dropped["Status"]["State"], dropped["StatementType"], dropped["SubstatementType"]) == (
        "SUCCEEDED",
        "DDL",
        "DROP_TABLE",
    )
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_table(DatabaseName=DATABASE, Name=unique)


def test_create_table_as_into_a_location_with_objects_fails_and_registers_nothing(aws, scores, unique):
    athena = aws.client("athena")
    aws.client("s3").put_object(Bucket="clients-data", Key=f"taken/{unique}/old.parquet", Body=b"x")
    execution = run_query(
        athena,
        f"CREATE TABLE {unique} WITH (external_location = 's3://clients-data/taken/{unique}/') AS SELECT 1 AS x",
    )
    assert execution["Status"]["State"] == "FAILED"
    assert execution["Status"]["StateChangeReason"].startswith("HIVE_PATH_ALREADY_EXISTS")
    assert "DataManifestLocation" not in execution["Statistics"]
    with pytest.raises(aws.client("glue").exceptions.EntityNotFoundException):
        aws.client("glue").get_table(DatabaseName=DATABASE, Name=unique)


def test_create_table_as_with_an_unnamed_column_or_another_format_fails_with_the_reason(aws, scores, unique):
    athena = aws.client("athena")
    unnamed = run_query(athena, f"CREATE TABLE {unique} AS SELECT count(*) FROM scores")
    assert unnamed["Status"]["StateChangeReason"] == "NOT_SUPPORTED: Column name not specified at position 1"
    orc = run_query(athena, f"CREATE TABLE {unique} WITH (format = 'ORC') AS SELECT 1 AS x")
    assert orc["Status"]["State"] == "FAILED"
    assert "format ORC is not supported" in orc["Status"]["StateChangeReason"]


def test_drop_table_of_a_missing_table_fails_unless_if_exists(aws, scores):
    athena = aws.client("athena")
    assert run_query(athena, "DROP TABLE IF EXISTS nope")["Status"]["State"] == "SUCCEEDED"
    missing = run_query(athena, "DROP TABLE nope")
    assert missing["Status"]["State"] == "FAILED"
    assert missing["Status"]["StateChangeReason"].startswith("TABLE_NOT_FOUND")


def test_batch_create_partition_reports_existing_entries_and_adds_the_others(aws, scores, unique):
    glue = aws.client("glue")
    table = glue.get_table(DatabaseName=DATABASE, Name="scores")["Table"]
    glue.create_table(
        DatabaseName=DATABASE,
        TableInput={
            "Name": unique,
            "PartitionKeys": table["PartitionKeys"],
            "StorageDescriptor": {**table["StorageDescriptor"], "Location": f"s3://clients-data/{unique}/"},
        },
    )
    sd = glue.get_table(DatabaseName=DATABASE, Name=unique)["Table"]["StorageDescriptor"]

    def entry(year):
        return {"Values": [str(year)], "StorageDescriptor": {**sd, "Location": f"{sd['Location']}year={year}/"}}

    first = glue.batch_create_partition(DatabaseName=DATABASE, TableName=unique, PartitionInputList=[entry(2025)])
    assert first.get("Errors", []) == []
    second = glue.batch_create_partition(
        DatabaseName=DATABASE, TableName=unique, PartitionInputList=[entry(2025), entry(2026)]
    )
    assert [(e["PartitionValues"], e["ErrorDetail"]["ErrorCode"]) for e in second["Errors"]] == [
        (["2025"], "AlreadyExistsException")
    ]
    got = glue.get_partitions(DatabaseName=DATABASE, TableName=unique, Expression="year >= 2026")["Partitions"]
    assert [p["Values"] for p in got] == [["2026"]]
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_partition(DatabaseName=DATABASE, TableName=unique, PartitionValues=["1999"])
    deleted = glue.batch_delete_partition(
        DatabaseName=DATABASE, TableName=unique, PartitionsToDelete=[{"Values": ["2025"]}, {"Values": ["2026"]}]
    )
    assert deleted.get("Errors", []) == []
    assert glue.get_partitions(DatabaseName=DATABASE, TableName=unique)["Partitions"] == []
    glue.delete_table(DatabaseName=DATABASE, Name=unique)


def test_show_partitions_lists_the_registered_partitions(aws, scores):
    athena = aws.client("athena")
    execution = run_query(athena, "SHOW PARTITIONS scores")
    assert (execution["StatementType"], execution["SubstatementType"]) == ("UTILITY", "SHOW_PARTITIONS")
    rows = athena.get_query_results(QueryExecutionId=execution["QueryExecutionId"])["ResultSet"]["Rows"]
    assert [r["Data"][0]["VarCharValue"] for r in rows] == ["year=2025", "year=2026"]


def test_show_tables_is_a_utility_statement_answered_as_text_lines_without_a_header(aws, scores):
    athena, s3 = aws.client("athena"), aws.client("s3")
    execution = run_query(athena, "SHOW TABLES 'sco*'")
    assert (execution["StatementType"], execution["SubstatementType"]) == ("UTILITY", "SHOW_TABLES")
    location = execution["ResultConfiguration"]["OutputLocation"]
    assert location.endswith(".txt")
    results = athena.get_query_results(QueryExecutionId=execution["QueryExecutionId"])
    assert [c["Name"] for c in results["ResultSet"]["ResultSetMetadata"]["ColumnInfo"]] == ["tab_name"]
    assert [[d.get("VarCharValue") for d in r["Data"]] for r in results["ResultSet"]["Rows"]] == [["scores"]]
    bucket, key = location[len("s3://") :].split("/", 1)
    assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == b"scores\n"


def test_describe_answers_each_line_as_one_tab_separated_datum(aws, scores):
    athena = aws.client("athena")
    execution = run_query(athena, "DESCRIBE scores")
    assert execution["StatementType"] == "UTILITY"
    rows = athena.get_query_results(QueryExecutionId=execution["QueryExecutionId"])["ResultSet"]["Rows"]
    lines = [r["Data"][0]["VarCharValue"] for r in rows]
    assert all(len(r["Data"]) == 1 for r in rows)
    assert lines[0].split("\t")[:2] == ["school_id", "string"]
    assert "# Partition Information\t\t" in lines
    assert lines[-1].split("\t")[:2] == ["year", "int"]


def test_athena_request_errors_are_invalid_request_exceptions(aws, scores):
    athena = aws.client("athena")
    with pytest.raises(athena.exceptions.InvalidRequestException, match="WorkGroup nope is not found"):
        athena.start_query_execution(QueryString="SELECT 1", WorkGroup="nope")
    execution = run_query(athena, "SELECT 1 AS x")
    with pytest.raises(athena.exceptions.InvalidRequestException) as caught:
        athena.get_query_results(QueryExecutionId=execution["QueryExecutionId"], MaxResults=1001)
    assert caught.value.response["AthenaErrorCode"] == "INVALID_INPUT"


def test_list_and_batch_get_query_executions_page_through_the_history(aws, scores):
    athena = aws.client("athena")
    ids = [run_query(athena, f"SELECT {i} AS x")["QueryExecutionId"] for i in range(3)]
    listed = [
        qid
        for page in athena.get_paginator("list_query_executions").paginate(
            WorkGroup=WORKGROUP, PaginationConfig={"PageSize": 2}
        )
        for qid in page["QueryExecutionIds"]
    ]
    assert listed[:3] == list(reversed(ids))
    batch = athena.batch_get_query_execution(QueryExecutionIds=ids + ["00000000-0000-0000-0000-00000000dead"])
    assert sorted(e["QueryExecutionId"] for e in batch["QueryExecutions"]) == sorted(ids)
    assert [u["QueryExecutionId"] for u in batch["UnprocessedQueryExecutionIds"]] == [
        "00000000-0000-0000-0000-00000000dead"
    ]


def test_stop_query_execution_of_a_finished_query_leaves_it_succeeded(aws, scores):
    athena = aws.client("athena")
    execution = run_query(athena, "SELECT 1 AS x")
    athena.stop_query_execution(QueryExecutionId=execution["QueryExecutionId"])
    again = athena.get_query_execution(QueryExecutionId=execution["QueryExecutionId"])["QueryExecution"]
    assert again["Status"]["State"] == "SUCCEEDED"


def test_athena_table_metadata_of_a_missing_table_is_a_metadata_exception(aws, scores):
    athena = aws.client("athena")
    listed = athena.list_table_metadata(CatalogName="AwsDataCatalog", DatabaseName=DATABASE, Expression="scores")
    assert [t["Name"] for t in listed["TableMetadataList"]] == ["scores"]
    assert listed["TableMetadataList"][0]["PartitionKeys"] == [{"Name": "year", "Type": "int"}]
    with pytest.raises(athena.exceptions.MetadataException, match="EntityNotFoundException"):
        athena.get_table_metadata(CatalogName="AwsDataCatalog", DatabaseName=DATABASE, TableName="nope")
