"""The library stays publishable on its own: no Home Assistant, nothing from outside its folder."""

import ast
from pathlib import Path
import shutil
import subprocess
import sys

from custom_components.ip_phone import api

API = Path(__file__).parents[2] / "custom_components" / "ip_phone" / "api"

# The README's way to use the library without Home Assistant: the folder copied as a package of
# its own name, imported with every `homeassistant` and `custom_components` module refused.
IMPORT_COPY = """
import asyncio, importlib.abc, sys

class Refuse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"homeassistant", "custom_components"}:
            raise ImportError("walled off: " + name)

sys.meta_path.insert(0, Refuse())
sys.path.insert(0, sys.argv[1])
import ip_phone_api

for name in ip_phone_api.__all__:
    getattr(ip_phone_api, name)
client = ip_phone_api.create_client(
    "grandstream_cti", session=None, host="127.0.0.1", password="x"
)
asyncio.run(client.close())
assert not [n for n in sys.modules if n.split(".")[0] in {"homeassistant", "custom_components"}]
print(ip_phone_api.__name__, len(ip_phone_api.__all__))
"""


def test_copied_folder_imports_without_home_assistant(tmp_path: Path) -> None:
    shutil.copytree(API, tmp_path / "ip_phone_api", ignore=shutil.ignore_patterns("__pycache__"))
    result = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-I", "-c", IMPORT_COPY, str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["ip_phone_api", str(len(api.__all__))]


def test_readme_tells_how_to_get_it_without_home_assistant() -> None:
    readme = (API / "README.md").read_text(encoding="utf-8")
    assert "cp -r custom_components/ip_phone/api your_project/ip_phone_api" in readme
    assert "from ip_phone_api import create_client, detect" in readme


def test_no_file_imports_home_assistant_or_climbs_out() -> None:
    for path in sorted(API.glob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                assert node.level <= 1, f"{path.name} imports from outside the package"
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] not in {"homeassistant", "custom_components"}, (
                    f"{path.name} imports {name}"
                )


def test_typed_package() -> None:
    assert (API / "py.typed").is_file()
