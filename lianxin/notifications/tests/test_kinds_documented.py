"""docs/notifications.md lists every kind with its SMS template: the gateway's templates are registered from it."""

from pathlib import Path

from lianxin.notifications.kinds import kinds

DOC = Path(__file__).resolve().parents[3] / "docs" / "notifications.md"


def test_every_kind_is_listed_with_its_template() -> None:
    rows = {line.split("|")[1].strip(" `"): line for line in DOC.read_text().splitlines() if line.startswith("| `")}
    registered = {kind.code: kind for kind in kinds()}
    assert set(rows) >= set(registered), f"not in docs/notifications.md: {sorted(set(registered) - set(rows))}"
    for code, kind in registered.items():
        assert f"`{kind.sms_template}`" in rows[code], code
