"""The `runs` DynamoDB table (etl/orchestration/RunsStore.ts, runRecords.ts): bookmarks and run summaries, with
the same keys and attributes the local transform writes."""

import time

BATCH_SIZE = 25
MAX_BATCH_RETRIES = 8


def bookmark_pk(raw_bucket):
    return f"bookmark#{raw_bucket}"


class RunsStore:
    def __init__(self, dynamodb, table_name):
        """`dynamodb` is a boto3 DynamoDB client (low level: attribute values are typed by `_value`)."""
        self._db, self._table = dynamodb, table_name

    def bookmarks(self, raw_bucket):
        """Every bookmarked object key of the raw bucket and its ETag."""
        out = {}
        pages = self._db.get_paginator("query").paginate(
            TableName=self._table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": bookmark_pk(raw_bucket)}},
            ConsistentRead=True,
        )
        for page in pages:
            for item in page.get("Items", []):
                out[item["sk"]["S"]] = item.get("etag", {}).get("S")
        return out

    def put_bookmarks(self, raw_bucket, bookmarks):
        for i in range(0, len(bookmarks), BATCH_SIZE):
            requests = [
                {"PutRequest": {"Item": _item({"pk": bookmark_pk(raw_bucket), "sk": b["key"], **b})}}
                for b in bookmarks[i : i + BATCH_SIZE]
            ]
            attempt = 0
            while requests:
                if attempt > MAX_BATCH_RETRIES:
                    raise RuntimeError(f"Could not write {len(requests)} bookmarks.")
                if attempt > 0:
                    time.sleep(2**attempt * 0.01)
                result = self._db.batch_write_item(RequestItems={self._table: requests})
                requests = result.get("UnprocessedItems", {}).get(self._table, [])
                attempt += 1

    def put_run_summary(self, summary):
        self._db.put_item(TableName=self._table, Item=_item({"pk": f"run#{summary['runId']}", "sk": "summary", **summary}))


def _item(record):
    """A record as DynamoDB attribute values; None values are left out (as removeUndefinedValues does)."""
    return {k: _value(v) for k, v in record.items() if v is not None}


def _value(v):
    if isinstance(v, bool):
        return {"BOOL": v}
    if isinstance(v, (int, float)):
        return {"N": str(v)}
    if isinstance(v, str):
        return {"S": v}
    if isinstance(v, dict):
        return {"M": {k: _value(x) for k, x in v.items() if x is not None}}
    if isinstance(v, (list, tuple)):
        return {"L": [_value(x) for x in v]}
    raise TypeError(f"cannot store {type(v).__name__} in DynamoDB")
