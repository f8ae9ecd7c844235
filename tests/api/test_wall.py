"""The library stays publishable on its own: no Home Assistant, nothing from outside its folder."""

import ast
from pathlib import Path
import subprocess
import sys

API = Path(__file__).parents[2] / "custom_components" / "ip_phone" / "api"

# Imports the package as a top-level one (its parent is the integration, which needs Home
# Assistant) with every `homeassistant` module refused, then drives a client a little.
IMPORT_BLOCKED = """
import asyncio, importlib.abc, importlib.util, sys

class Refuse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "homeassistant" or name.startswith("homeassistant."):
            raise ImportError("homeassistant is walled off: " + name)

sys.meta_path.insert(0, Refuse())
for name in [n for n in sys.modules if n.split(".")[0] == "homeassistant"]:
    del sys.modules[name]
api_dir = sys.argv[1]
spec = importlib.util.spec_from_file_location(
    "phone_api", api_dir + "/__init__.py", submodule_search_locations=[api_dir]
)
module = importlib.util.module_from_spec(spec)
sys.modules["phone_api"] = module
spec.loader.exec_module(module)
for name in module.__all__:
    getattr(module, name)
client = module.create_client("grandstream_cti", session=None, host="127.0.0.1", password="x")
asyncio.run(client.close())
assert not [n for n in sys.modules if n.startswith("homeassistant")]
print("ok")
"""


def test_imports_without_home_assistant() -> None:
    result = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", IMPORT_BLOCKED, str(API)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


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
