"""Header mapping and dataset inference, as etl/schemas/resolveHeader.ts and inferDataset.ts state them (the
refusal messages included). Runs on the driver, on one header record per object."""

import re

from .errors import HeaderRefusal

_SEPARATORS = re.compile(r"[\s_.\-]+")


def normalize_header_name(name):
    """`normalizeHeaderName`: lower case, without spaces, `_`, `-`, `.` or a leading BOM."""
    if name.startswith("\ufeff"):
        name = name[1:]
    return _SEPARATORS.sub("", name.lower())


class HeaderMapping:
    def __init__(self, dataset, field_count, index_of):
        self.dataset = dataset
        self.field_count = field_count
        self.index_of = index_of

    def indexes(self):
        """Field index of each dataset column, in schema order (-1 for an absent nullable column)."""
        return [self.index_of.get(c["name"], -1) for c in self.dataset["columns"]]


def _js_trim_empty(text):
    return text.strip() == ""


def resolve_header(dataset, header):
    lookup = {}
    for col in dataset["columns"]:
        for name in [col["name"], *col["aliases"]]:
            lookup[normalize_header_name(name)] = col["name"]
    index_of, seen, unknown = {}, {}, []
    for i, field in enumerate(header):
        name = lookup.get(normalize_header_name(field))
        if name is None:
            unknown.append(f"(empty field {i + 1})" if _js_trim_empty(field) else field)
            continue
        if name in seen:
            seen[name].append(field)
        else:
            seen[name] = [field]
            index_of[name] = i
    duplicate = [(column, names) for column, names in seen.items() if len(names) > 1]
    missing = [c["name"] for c in dataset["columns"] if not c["nullable"] and c["name"] not in index_of]
    if missing or duplicate or unknown:
        problems = []
        if missing:
            problems.append(f"missing required column{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
        if duplicate:
            named = ", ".join(f"{c} ({' and '.join(repr_js(f) for f in names)})" for c, names in duplicate)
            problems.append(f"columns named twice: {named}")
        if unknown:
            problems.append(f"unknown column{'s' if len(unknown) > 1 else ''} {', '.join(repr_js(f) for f in unknown)}")
        code = "MISSING_COLUMNS" if missing else "DUPLICATE_COLUMNS" if duplicate else "UNKNOWN_COLUMNS"
        raise HeaderRefusal(
            code,
            f"The header does not fit dataset {dataset['name']}: {'; '.join(problems)}. "
            "Accepted column names and aliases are listed in docs/data-dictionary.md.",
        )
    return HeaderMapping(dataset, len(header), index_of)


def repr_js(field):
    return f"'{field}'"


def infer_dataset(datasets, key, header):
    """The dataset of an object: its key's first segment when that names one, else the one its header fits."""
    prefix = key.lstrip("/").split("/")[0]
    if "/" in key and prefix in datasets:
        return datasets[prefix]
    fits, reasons = [], []
    for dataset in datasets.values():
        try:
            resolve_header(dataset, header)
            fits.append(dataset)
        except HeaderRefusal as refusal:
            reasons.append(str(refusal))
    if len(fits) == 1:
        return fits[0]
    if len(fits) > 1:
        raise HeaderRefusal(
            "UNKNOWN_DATASET",
            f"The header fits several datasets ({', '.join(d['name'] for d in fits)}); name the dataset explicitly.",
        )
    raise HeaderRefusal(
        "UNKNOWN_DATASET",
        f"'{key}' is not under a dataset prefix and its header matches no declared dataset. {' '.join(reasons)}",
    )
