"""The schema document (`npx examlake schema json`, etl/schemas/schemaDocument.ts): the one source of every
dataset definition the job applies. Nothing about a dataset is written in Python."""

import json

from .errors import SchemaDocumentError

FORMAT_VERSION = 1
DATA_VERSION_PARAMETER = "examlake.data_version"
REJECTS_PREFIX = "_rejects/"
LOCATION_TEMPLATE_PARAMETER = "storage.location.template"


class SchemaDocument:
    """The parsed document, with the few lookups the job needs."""

    def __init__(self, doc):
        if doc.get("formatVersion") != FORMAT_VERSION:
            raise SchemaDocumentError(
                f"Schema document format {doc.get('formatVersion')} is not {FORMAT_VERSION}; "
                "ship the document and the job from the same commit."
            )
        try:
            self.type_formats = doc["typeFormats"]
            self.reasons = [r["code"] for r in sorted(doc["rejectReasons"], key=lambda r: r["order"])]
            self.reason_descriptions = {r["code"]: r["description"] for r in doc["rejectReasons"]}
            self.row_reasons = [r["code"] for r in doc["rejectReasons"] if r["scope"] == "row"]
            self.partition_columns = doc["partitionColumns"]
            self.lineage_columns = [c["name"] for c in doc["lineageColumns"]]
            self.datasets = {d["name"]: d for d in doc["datasets"]}
        except KeyError as err:
            raise SchemaDocumentError(f"The schema document lacks {err}; regenerate it with npx examlake schema json.")
        self.boolean_text = doc.get("booleanText", {"true": ["true", "yes", "1"], "false": ["false", "no", "0"]})

    def reason(self, code):
        """A reject reason code, checked against the document (a typo fails the job, not the data)."""
        if code not in self.reason_descriptions:
            raise SchemaDocumentError(f"Reason {code} is not in the schema document.")
        return code

    def order(self, code):
        return self.reasons.index(code)


def load_schema_document(path):
    with open(path, encoding="utf-8") as handle:
        return SchemaDocument(json.load(handle))
