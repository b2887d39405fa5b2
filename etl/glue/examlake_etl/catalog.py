"""The curated tables' versions in the Glue catalog (etl/transform/GlueVersionCatalog.ts): a version is the prefix
`s3://<curated>/<dataset>/v=<runId>/`; committing it is one UpdateTable, guarded by the table's VersionId, that
changes only `Location`, the `storage.location.template` parameter and `examlake.data_version`."""

import re

from .errors import CommitConflictError
from .schema_document import DATA_VERSION_PARAMETER, LOCATION_TEMPLATE_PARAMETER

_VERSION_LOCATION = re.compile(r"^s3://([^/]+)/(.+/v=[^/]+/)$")
_TABLE_INPUT_KEYS = ("Name", "Description", "Owner", "Retention", "TableType", "PartitionKeys", "StorageDescriptor",
                     "Parameters")


class GlueVersionCatalog:
    def __init__(self, glue, database, partition_columns):
        self._glue, self._database = glue, database
        self._year, self._month = partition_columns[0]["name"], partition_columns[1]["name"]

    def current(self, dataset):
        """(table, location `s3://…/v=…/` of the committed version or None, data version or None)."""
        table = self._glue.get_table(DatabaseName=self._database, Name=dataset)["Table"]
        location = table.get("StorageDescriptor", {}).get("Location", "")
        committed = location if _VERSION_LOCATION.match(location) else None
        return table, committed, table.get("Parameters", {}).get(DATA_VERSION_PARAMETER)

    def commit(self, table, location, run_id):
        base = location if location.endswith("/") else location + "/"
        table_input = {k: table[k] for k in _TABLE_INPUT_KEYS if k in table}
        table_input["StorageDescriptor"] = {**table.get("StorageDescriptor", {}), "Location": base}
        table_input["Parameters"] = {
            **table.get("Parameters", {}),
            LOCATION_TEMPLATE_PARAMETER: f"{base}{self._year}=${{{self._year}}}/{self._month}=${{{self._month}}}/",
            DATA_VERSION_PARAMETER: run_id,
        }
        try:
            self._glue.update_table(
                DatabaseName=self._database, TableInput=table_input, VersionId=table["VersionId"]
            )
        except self._glue.exceptions.ConcurrentModificationException as err:
            raise CommitConflictError(
                f"Table {self._database}.{table['Name']} changed during run {run_id}; nothing was committed. "
                "Run the job again."
            ) from err
