"""Issue 8: schemathesis against the LIVE OpenAPI document of a real ``python -m server --demo`` on
127.0.0.1, as a volunteer and as a manager: every generated request, valid and invalid, answers
without a 5xx, and every answer matches what the document says (status, content type, schema,
``Allow`` on 405). Bounded: derandomized (a fixed seed), ``MAX_EXAMPLES`` per operation and mode.

schemathesis's own pytest plugin does not run under this pytest, so its Python API drives hypothesis
here: one strategy per operation and generation mode, every failure collected, then reported."""

from __future__ import annotations

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from tests.e2e.conftest import start_server, stop_server

pytestmark = pytest.mark.e2e

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          unsupported_method]
MAX_EXAMPLES = 25
# signing out would revoke the token every later case uses
SKIP = {("DELETE", "/api/v1/auth/token")}


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory):
    server = start_server(tmp_path_factory.mktemp("fuzz"))
    yield server
    stop_server(server)


def fuzz(server, token: str) -> tuple[int, int, list[str]]:
    """(operations, cases, failures) of one caller over the whole document."""
    schema = schemathesis.openapi.from_url(f"{server.url}/api/v1/openapi.json", timeout=10)
    session = requests.Session()
    headers = {"Authorization": f"Bearer {token}"}
    operations, cases, failures = 0, 0, []
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SKIP:
            continue
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            cases += fuzz_operation(server.url, session, headers, operation, mode, failures)
    return operations, cases, failures


def fuzz_operation(base_url, session, headers, operation, mode, failures: list[str]) -> int:
    """Run one operation in one generation mode; distinct failures are appended; returns the cases run."""
    seen: set[str] = set()
    cases = 0

    @settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck), phases=[Phase.generate])
    @given(operation.as_strategy(generation_mode=mode))
    def run(case):
        nonlocal cases
        cases += 1
        try:
            case.call_and_validate(base_url=base_url, session=session, headers=headers, checks=CHECKS, timeout=30)
        except (Exception, BaseExceptionGroup) as exc:  # every failure is collected and reported
            problems = getattr(exc, "exceptions", None) or (exc,)
            key = " ".join(type(p).__name__ + str(p)[:80] for p in problems)
            if key not in seen:
                seen.add(key)
                failures.append(f"{operation.method.upper()} {operation.path} [{mode.value}] {case.body!r:.200} "
                                + " | ".join(f"{type(p).__name__}: {str(p)[:600]}" for p in problems))

    try:
        run()
    except Unsatisfiable:  # nothing invalid can be made for an operation without inputs
        pass
    return cases


@pytest.mark.timeout(600)
def test_the_api_keeps_its_openapi_promise(fuzz_server):
    report = []
    all_failures = []
    tokens = {who: fuzz_server.token(who) for who in ("volunteer", "manager")}  # before sign-in is fuzzed
    for who, token in tokens.items():
        operations, cases, failures = fuzz(fuzz_server, token)
        report.append(f"{who}: {operations} operations, {cases} cases, {len(failures)} failures")
        all_failures += failures
    print("\n".join(report))
    assert not all_failures, "\n\n".join(report + all_failures)
