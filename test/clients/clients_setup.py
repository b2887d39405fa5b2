"""Names the client suite's fixtures create (conftest.py) and its tests use."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REGION = "us-east-1"
DATA_BUCKET = "clients-data"
RESULTS_BUCKET = "clients-results"
DATABASE = "clients"
WORKGROUP = "clients"
#: The workgroup's enforced result location, as examlake's workgroup has one.
OUTPUT = f"s3://{RESULTS_BUCKET}/athena/"

SCORES = [
    # school_id, student, score, sat_on, year (partition)
    ("SCH-1", "a", 12.5, "2025-03-01", 2025),
    ("SCH-1", "b", 7.0, "2025-03-02", 2025),
    ("SCH-2", "c", 9.25, "2025-03-01", 2025),
    ("SCH-1", "d", 11.0, "2026-03-01", 2026),
    ("SCH-2", "e", None, "2026-03-03", 2026),
]
