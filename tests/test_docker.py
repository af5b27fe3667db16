"""The Docker stack, read as Docker reads it (no engine here): one build, locked, guarded."""

from __future__ import annotations

import re

import yaml

from domain.core.settings import ROOT

DOCKER = ROOT / "docker"


def test_compose_builds_one_image_for_every_service_and_requires_a_secret() -> None:
    compose = yaml.safe_load((DOCKER / "compose.yaml").read_text())
    services = compose["services"]
    ours = {name: service for name, service in services.items() if service["image"] == "erp:latest"}
    assert set(ours) == {"migrate", "api", "worker", "scheduler"}
    assert [name for name, service in ours.items() if "build" in service] == ["migrate"]
    for service in ours.values():
        assert service["pull_policy"] == "never"
        assert service["environment"]["ENVIRONMENT"] == "production"
        assert service["environment"]["SECRET_KEY"].startswith("${SECRET_KEY:?")


def test_the_image_installs_the_lock_and_probes_readiness() -> None:
    dockerfile = (DOCKER / "Dockerfile").read_text()
    assert "RUN pip install -r requirements.lock" in dockerfile
    assert "RUN pip install --no-deps -e ." in dockerfile
    assert "/readyz" in dockerfile
    for line in re.findall(r"^COPY (.+) \S+$", dockerfile, re.MULTILINE):
        for source in line.split():
            assert (ROOT / source).exists(), source
