"""Property-based run of the OpenAPI spec against the ASGI app (schemathesis): no 5xx, responses
conform to the declared schemas. Bounded to a few examples per operation."""
from __future__ import annotations

import warnings
from pathlib import Path

import pytest

warnings.filterwarnings("ignore", category=DeprecationWarning)

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402

from claimscope.serve.app import create_app  # noqa: E402
from claimscope.serve.sample import sample_documents  # noqa: E402
from claimscope.store import Store  # noqa: E402

pytestmark = pytest.mark.slow


def _app():
    import tempfile

    path = Path(tempfile.mkdtemp(prefix="claimscope-schema-")) / "schema.db"
    with Store(path) as store:
        for doc in sample_documents():
            store.add(doc)
    return create_app(path)


schema = schemathesis.openapi.from_asgi("/openapi.json", _app())


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_openapi(case):
    case.call_and_validate()
