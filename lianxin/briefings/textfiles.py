"""Briefing templates: plain text files staff can add to, read into a title, sections and sentences
whose placeholders name registered figures (the writer's guide is texts/README.md).

The templates are the `.txt` files of `texts/` beside this module and of the folder named by the
setting LIANXIN_BRIEFING_TEMPLATES_DIR, whose file of the same name replaces a built-in one. A file
that cannot be read is not offered; its error names the line, so whoever added it can mend it.

    name: “七一”系列活动                      the name offered when drafting (default: the file's name)
    about: 庆祝建党周年“七一”系列活动          one line saying what it is for (optional)
    # 凝心聚力担使命 感恩奋进谱新篇            the title: {org}, {whole}, {period}, {year}, ... only
    Text before the first heading is the lead.
    ## 组织集中学习                            a section's heading
    {period}，{whole}开展集中学习{about:activities-study:场}[[，覆盖党员{about:members-covered:人}]]。

A paragraph is a run of lines (joined as they are: Chinese needs no space); a blank line ends it.
"""

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

TEXTS_DIR = Path(__file__).resolve().parent / "texts"
SUFFIX = ".txt"
MAX_BYTES = 100_000  # a template is a page or two of text
KEY_MAX = 80  # Briefing.template

# Placeholders that are not figures: the subtree and the period in words.
WORDS = ("org", "whole", "period", "year", "party_years", "start", "end")
# Placeholders that are figures: a count phrased ("7200余场"), a count whole ("2300个"), a share ("96.52%").
KINDS = ("about", "count", "percent")
_MEASURE = re.compile(r"[a-z0-9][a-z0-9_-]*\Z")
_TOKEN = re.compile(r"\{([^{}]*)\}|\[\[|\]\]")
_PROPERTY = re.compile(r"(name|about)\s*[:：]\s*(.*)\Z")


class TemplateError(ValueError):
    """A template that cannot be read; the message names the file and the line."""


@dataclass(frozen=True)
class Placeholder:
    kind: str  # one of WORDS, or one of KINDS
    measures: tuple[str, ...] = ()  # the figures it names: one, or a part and its whole
    unit: str = ""

    @property
    def is_figure(self) -> bool:
        return self.kind in KINDS


@dataclass(frozen=True)
class Fragment:
    """`[[…]]`: a part of a sentence left out when its figures have no data."""

    pieces: tuple["str | Placeholder", ...]


Piece = str | Placeholder | Fragment
Paragraph = tuple[Piece, ...]


@dataclass(frozen=True)
class SectionText:
    heading: str  # "" for the lead
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True)
class BriefingText:
    key: str  # the file's name without .txt
    name: str
    about: str
    title: Paragraph
    sections: tuple[SectionText, ...]

    def measures(self) -> set[str]:
        """Every figure the template names, registered or not."""
        return {name for section in self.sections for paragraph in section.paragraphs for name in _named(paragraph)}


def placeholders_of(pieces: Iterable[Piece]) -> list[Placeholder]:
    found: list[Placeholder] = []
    for piece in pieces:
        if isinstance(piece, Placeholder):
            found.append(piece)
        elif isinstance(piece, Fragment):
            found.extend(placeholders_of(piece.pieces))
    return found


def _named(pieces: Iterable[Piece]) -> list[str]:
    return [name for p in placeholders_of(pieces) for name in p.measures]


# ------------------------------------------------------------------------------------ reading


def _placeholder(inner: str, where: str) -> Placeholder:
    parts = inner.split(":", 2)
    kind = parts[0].strip()
    if len(parts) == 1:
        if kind not in WORDS:
            raise TemplateError(
                _("%(where)s: {%(inner)s} is not a placeholder; the words are %(words)s.")
                % {"where": where, "inner": inner, "words": ", ".join(WORDS)}
            )
        return Placeholder(kind)
    if kind not in KINDS:
        raise TemplateError(
            _("%(where)s: {%(inner)s}: a figure is written about:, count: or percent:.")
            % {"where": where, "inner": inner}
        )
    names = tuple(n.strip() for n in parts[1].split("/")) if kind == "percent" else (parts[1].strip(),)
    unit = parts[2].strip() if len(parts) == 3 else ""
    if len(names) > 2 or not all(_MEASURE.match(n) for n in names) or (kind == "percent" and unit):
        raise TemplateError(
            _("%(where)s: {%(inner)s} names no figure as a placeholder can (see texts/README.md).")
            % {"where": where, "inner": inner}
        )
    return Placeholder(kind, names, unit)


def _literal(text: str, where: str) -> str:
    if "{" in text or "}" in text:
        raise TemplateError(_("%(where)s: a brace that opens or closes no placeholder.") % {"where": where})
    return text


def _pieces(text: str, where: str, *, figures: bool = True) -> Paragraph:
    """A line of text as literal text, placeholders and `[[…]]` fragments (which do not nest)."""
    pieces: list[Piece] = []
    fragment: list[str | Placeholder] | None = None
    position = 0
    for match in [*_TOKEN.finditer(text), None]:
        literal = _literal(text[position : match.start() if match else len(text)], where)
        if literal:
            (pieces if fragment is None else fragment).append(literal)
        if match is None:
            break
        position = match.end()
        if match.group(0) == "[[":
            if fragment is not None:
                raise TemplateError(_("%(where)s: [[ inside [[ ]]; they do not nest.") % {"where": where})
            fragment = []
        elif match.group(0) == "]]":
            if fragment is None:
                raise TemplateError(_("%(where)s: ]] without its [[.") % {"where": where})
            pieces.append(Fragment(tuple(fragment)))
            fragment = None
        else:
            placeholder = _placeholder(match.group(1), where)
            if placeholder.is_figure and not figures:
                raise TemplateError(_("%(where)s: a title names no figure.") % {"where": where})
            (pieces if fragment is None else fragment).append(placeholder)
    if fragment is not None:
        raise TemplateError(_("%(where)s: [[ without its ]].") % {"where": where})
    return tuple(pieces)


def _joined(lines: list[tuple[int, str]], where: str) -> Paragraph:
    """A paragraph's lines as one line of pieces; the line number of its first line names it."""
    return _pieces("".join(text for _n, text in lines), f"{where}:{lines[0][0]}")


@dataclass
class _Reading:
    key: str
    properties: dict[str, str]
    title: Paragraph | None = None
    heading: str = ""
    paragraphs: list[Paragraph] | None = None
    lines: list[tuple[int, str]] | None = None


def _end_paragraph(reading: _Reading, where: str) -> None:
    if reading.lines:
        assert reading.paragraphs is not None
        reading.paragraphs.append(_joined(reading.lines, where))
    reading.lines = []


def parse_template(text: str, key: str, where: str = "") -> BriefingText:
    """Read a template's text; `where` names it in errors (its file)."""
    where = where or key
    reading = _Reading(key, {})
    sections: list[SectionText] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        here = f"{where}:{number}"
        if line.lstrip().startswith(";"):
            continue
        if reading.title is None:
            if line.startswith("# "):
                reading.title = _pieces(line[2:].strip(), here, figures=False)
                reading.paragraphs, reading.lines = [], []
            elif found := _PROPERTY.match(line.strip()):
                reading.properties[found[1]] = found[2].strip()
            elif line.strip():
                raise TemplateError(
                    _("%(where)s: text before the title (a line starting with “# ”).") % {"where": here}
                )
            continue
        if line.startswith("# "):
            raise TemplateError(_("%(where)s: a second title.") % {"where": here})
        if line.startswith("## "):
            _end_paragraph(reading, where)
            _keep_section(reading, sections)
            reading.heading, reading.paragraphs = line[3:].strip(), []
        elif line.strip():
            assert reading.lines is not None
            reading.lines.append((number, line.strip()))
        else:
            _end_paragraph(reading, where)
    if reading.title is None:
        raise TemplateError(_("%(where)s: no title (a line starting with “# ”).") % {"where": where})
    _end_paragraph(reading, where)
    _keep_section(reading, sections)
    if not any(section.heading for section in sections):
        raise TemplateError(_("%(where)s: no section (a line starting with “## ”).") % {"where": where})
    name = reading.properties.get("name") or key
    return BriefingText(key, name[:100], reading.properties.get("about", ""), reading.title, tuple(sections))


def _keep_section(reading: _Reading, sections: list[SectionText]) -> None:
    if reading.heading or reading.paragraphs:
        sections.append(SectionText(reading.heading[:100], tuple(reading.paragraphs or ())))


# ------------------------------------------------------------------------------------ finding


def template_dirs() -> list[Path]:
    """The built-in folder, then the one the setting names (whose files replace the built-in ones)."""
    dirs = [TEXTS_DIR]
    extra = getattr(settings, "LIANXIN_BRIEFING_TEMPLATES_DIR", "")
    if extra:
        dirs.append(Path(extra))
    return dirs


def _files() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for folder in template_dirs():
        if folder.is_dir():
            for path in sorted(folder.glob(f"*{SUFFIX}")):
                if path.is_file() and len(path.stem) <= KEY_MAX:
                    found[path.stem] = path
    return found


def _read(key: str, path: Path) -> BriefingText:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise TemplateError(_("%(where)s: longer than %(n)s bytes.") % {"where": path.name, "n": MAX_BYTES})
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(_("%(where)s: cannot be read as UTF-8 text.") % {"where": path.name}) from exc
    return parse_template(text, key, path.name)


@dataclass(frozen=True)
class Templates:
    usable: dict[str, BriefingText]  # by key, in the order of their names
    broken: dict[str, str]  # key: what is wrong with it


def briefing_templates() -> Templates:
    """Every template there is, read now: staff may add one at any time."""
    usable: dict[str, BriefingText] = {}
    broken: dict[str, str] = {}
    for key, path in _files().items():
        try:
            usable[key] = _read(key, path)
        except TemplateError as exc:
            logger.warning("briefing template %s is not offered: %s", path, exc)
            broken[key] = str(exc)
    ordered = dict(sorted(usable.items(), key=lambda item: (item[1].name, item[0])))
    return Templates(ordered, broken)


def briefing_template(key: str) -> BriefingText | None:
    """The template with this key, or None when there is none (or it cannot be read)."""
    path = _files().get(key)
    if path is None:
        return None
    try:
        return _read(key, path)
    except TemplateError:
        return None
