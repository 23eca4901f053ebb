"""The compliance board's badges are read against their own backgrounds: WCAG 2's 4.5:1
for normal text, computed from the colours in the stylesheet itself."""

import re
from pathlib import Path

import pytest
from django.conf import settings

CSS = Path(settings.BASE_DIR) / "static" / "css" / "lianxin.css"
AA_NORMAL_TEXT = 4.5


def _luminance(hex_colour: str) -> float:
    digits = hex_colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    light, dark = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _rules(css: str) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """The custom properties of :root, and each plain rule's declarations, var() resolved."""
    variables = dict(re.findall(r"(--[\w-]+):\s*([^;]+);", css.split("}", 1)[0]))
    rules: dict[str, dict[str, str]] = {}
    for selector, body in re.findall(r"^([.\w][^{]*)\{([^}]*)\}", css, flags=re.MULTILINE):
        declarations = dict(re.findall(r"([\w-]+):\s*([^;]+);?", body))
        for name, value in declarations.items():
            declarations[name] = re.sub(r"var\((--[\w-]+)\)", lambda m: variables[m[1]].strip(), value).strip()
        rules[selector.strip()] = declarations
    return variables, rules


def test_contrast_of_known_pairs() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("badge", [".badge", ".badge-red", ".badge-warn", ".badge-ok"])
def test_each_badge_on_the_compliance_board_reads_at_4_5_to_1(badge: str) -> None:
    _variables, rules = _rules(CSS.read_text())
    rule = rules[badge]
    background = rule.get("background", rules[".badge"]["background"])
    ratio = contrast(rule["color"], background)
    assert ratio >= AA_NORMAL_TEXT, f"{badge}: {rule['color']} on {background} is {ratio:.2f}:1"
