"""The job's typed errors: each says what failed and what to do."""


class EtlError(Exception):
    """Base of the job's errors; `code` is stable."""

    code = "ETL_FAILED"


class SchemaDocumentError(EtlError):
    """The schema document shipped with the job cannot be used (wrong format version, missing key)."""

    code = "SCHEMA_DOCUMENT"


class ReconciliationError(EtlError):
    """rows in != written + rejected + superseded: the run fails before anything is committed."""

    code = "RECONCILIATION_FAILED"

    def __init__(self, dataset, rows_in, written, rejected, superseded):
        super().__init__(
            f"{dataset} does not reconcile: {rows_in} rows in \u2260 {written} written + {rejected} rejected + "
            f"{superseded} superseded. Nothing was committed; the previous version stays current."
        )
        self.dataset = dataset
        self.counts = {"rowsIn": rows_in, "written": written, "rejected": rejected, "superseded": superseded}


class CommitConflictError(EtlError):
    """The table changed during the run (its VersionId moved): nothing was committed."""

    code = "COMMIT_CONFLICT"


class HeaderRefusal(EtlError):
    """A whole raw object is refused (EMPTY_FILE, UNKNOWN_DATASET, MISSING_COLUMNS, …); `reason` is the code."""

    def __init__(self, reason, message):
        super().__init__(message)
        self.reason = reason
