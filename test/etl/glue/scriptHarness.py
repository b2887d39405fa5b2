"""Runs the row rules of etl/glue/transform.py without Spark or AWS: stubs the Glue, Spark and boto3 modules,
imports the script (its main() does not run on import) and prints, as JSON, what read_object makes of each file.

    python3 scriptHarness.py <schema-document.json> <raw-dir> <key>...
"""
import json
import sys
import types

sys.dont_write_bytecode = True


def stub(name, **members):
    module = types.ModuleType(name)
    module.__dict__.update(members)
    sys.modules[name] = module
    return module


for name in ["awsglue", "pyspark", "pyspark.sql", "boto3"]:
    stub(name)
stub("awsglue.context", GlueContext=object)
stub("awsglue.job", Job=object)
stub("awsglue.utils", getResolvedOptions=lambda argv, names: {n: dict(a.split("=", 1) for a in argv[1:]).get(n, "") for n in names})
stub("pyspark.context", SparkContext=object)
stub("pyspark.sql", Window=object, functions=stub("pyspark.sql.functions"), types=stub("pyspark.sql.types"))

document, raw_dir, keys = sys.argv[1], sys.argv[2], sys.argv[3:]
script = sys.argv[0].replace("test/etl/glue/scriptHarness.py", "etl/glue/transform.py")
sys.argv = ["transform.py", f"schema_document={document}", "raw_bucket=raw", "reprocess_all=false", "JOB_RUN_ID=jr_py"]
spec = __import__("importlib.util").util.spec_from_file_location("transform", script)
transform = __import__("importlib.util").util.module_from_spec(spec)
spec.loader.exec_module(transform)

out = []
for rank, key in enumerate(keys):
    with open(f"{raw_dir}/{key}", "rb") as handle:
        data = handle.read()
    _, dataset, rows, rejects, refusal = transform.read_object((key, "etag", rank, data))
    out.append({"key": key, "dataset": dataset, "rows": len(rows), "refusal": refusal and refusal[0],
                "rejects": [{"line": r["line"], "reason": r["reason"]} for r in rejects]})
print(json.dumps(out))
