"""The repository around the code: valid YAML, CI and pre-commit in step with the pins."""

import json
from pathlib import Path
import re
from typing import Any
from urllib.parse import quote

import pytest
import yaml

ROOT = Path(__file__).parents[1]
# Folders of tools and caches, and Home Assistant's run-time state under config/ (not ours).
SKIPPED = {".git", ".venv", "node_modules", ".mypy_cache", ".ruff_cache", ".pytest_cache"}
OUR_CONFIG = {ROOT / "config" / "configuration.yaml"}


class TaggedLoader(yaml.SafeLoader):
    """A safe loader that reads Home Assistant's tags (!input, !secret, !include) as values."""


def _tagged(loader: TaggedLoader, _suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_scalar(node)  # type: ignore[arg-type]


TaggedLoader.add_multi_constructor("!", _tagged)


def ours(path: Path) -> bool:
    """Tell whether a file is the repository's own, not a tool's cache or Home Assistant's state."""
    parts = path.relative_to(ROOT).parts
    if SKIPPED & set(parts):
        return False
    return parts[0] != "config" or path in OUR_CONFIG


def yaml_files() -> list[Path]:
    return sorted(path for path in [*ROOT.rglob("*.yaml"), *ROOT.rglob("*.yml")] if ours(path))


def load(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=TaggedLoader)  # noqa: S506


def test_yaml_files_are_found() -> None:
    names = {path.relative_to(ROOT).as_posix() for path in yaml_files()}
    assert {
        ".github/workflows/tests.yml",
        ".github/workflows/validate.yml",
        ".pre-commit-config.yaml",
        "custom_components/ip_phone/services.yaml",
        "custom_components/ip_phone/quality_scale.yaml",
        "config/configuration.yaml",
    } <= names


@pytest.mark.parametrize("path", yaml_files(), ids=lambda path: path.relative_to(ROOT).as_posix())
def test_yaml_is_valid(path: Path) -> None:
    assert isinstance(load(path), dict)


@pytest.mark.parametrize(
    "path", sorted((ROOT / ".github" / "workflows").glob("*.yml")), ids=lambda path: path.name
)
def test_workflow_shape(path: Path) -> None:
    """Every job says where it runs and what it does; YAML reads the key `on` as True."""
    workflow = load(path)
    assert workflow["name"]
    assert workflow[True]
    for name, job in workflow["jobs"].items():
        assert job["runs-on"], name
        assert job["steps"], name
        for step in job["steps"]:
            assert step.keys() & {"uses", "run"}, name


def pinned(package: str) -> str:
    text = (ROOT / "requirements_test.txt").read_text(encoding="utf-8")
    match = re.search(rf"^{re.escape(package)}==(\S+)$", text, re.MULTILINE)
    assert match, package
    return match.group(1)


def test_pre_commit_runs_the_pinned_ruff_and_mypy() -> None:
    config = load(ROOT / ".pre-commit-config.yaml")
    ruff = next(repo for repo in config["repos"] if repo["repo"].endswith("/ruff-pre-commit"))
    assert ruff["rev"] == f"v{pinned('ruff')}"
    assert {hook["id"] for hook in ruff["hooks"]} == {"ruff-format", "ruff-check"}
    local = next(repo for repo in config["repos"] if repo["repo"] == "local")
    assert [hook["entry"] for hook in local["hooks"]] == ["scripts/run mypy"]


def test_ci_runs_the_readme_command_and_the_newest_home_assistant() -> None:
    jobs = load(ROOT / ".github" / "workflows" / "tests.yml")["jobs"]
    runs = {name: [step.get("run", "") for step in job["steps"]] for name, job in jobs.items()}
    assert ".ci/run" in runs["pinned"]
    assert any("--upgrade pytest-homeassistant-custom-component" in run for run in runs["newest"])
    validators = load(ROOT / ".github" / "workflows" / "validate.yml")["jobs"]
    uses = {
        step.get("uses", "").split("@")[0] for job in validators.values() for step in job["steps"]
    }
    assert {"home-assistant/actions/hassfest", "hacs/action"} <= uses


def test_licence_is_the_one_pyproject_names() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License\n                           Version 2.0, January 2004" in text
    assert "END OF TERMS AND CONDITIONS" in text
    assert 'license = "Apache-2.0"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def _without(text: str, links: tuple[str, ...]) -> str:
    for link in links:
        text = text.replace(link, "")
    return text


def test_publishing_organisation_is_in_one_place() -> None:
    """The manifest holds the GitHub organisation; the README names it as the place to change."""
    manifest = json.loads(
        (ROOT / "custom_components" / "ip_phone" / "manifest.json").read_text(encoding="utf-8")
    )
    organisation = manifest["codeowners"][0].removeprefix("@")
    assert manifest["documentation"] == f"https://github.com/{organisation}/ip_phone"
    assert manifest["issue_tracker"] == f"{manifest['documentation']}/issues"
    # Elsewhere only inside links to the repository (blueprint import buttons and source_url),
    # written out in full or URL-encoded as an import link carries them.
    repository = manifest["documentation"]
    allowed = (repository, quote(repository, safe=""))
    elsewhere = [
        path.relative_to(ROOT).as_posix()
        for path in ROOT.rglob("*")
        if path.is_file()
        and ours(path)
        and path.name != "manifest.json"
        and path.suffix in {".py", ".md", ".json", ".yaml", ".yml", ".toml", ".txt"}
        and organisation in _without(path.read_text(encoding="utf-8", errors="replace"), allowed)
    ]
    assert elsewhere == []
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "custom_components/ip_phone/manifest.json" in readme
    assert "codeowners" in readme


def test_every_blueprint_has_its_import_button() -> None:
    """Each blueprint names its own address, and the README's button imports exactly that."""
    manifest = json.loads(
        (ROOT / "custom_components" / "ip_phone" / "manifest.json").read_text(encoding="utf-8")
    )
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blueprints = sorted((ROOT / "blueprints").rglob("*.yaml"))
    assert blueprints
    for path in blueprints:
        address = f"{manifest['documentation']}/blob/main/{path.relative_to(ROOT).as_posix()}"
        text = path.read_text(encoding="utf-8")
        assert f"\n  source_url: {address}\n" in text, path.name
        button = f"redirect/blueprint_import/?blueprint_url={quote(address, safe='')})"
        assert button in readme, path.name
