"""Briefing templates: text files read into a title, sections and placeholders, with an error naming
the line when a file cannot be read; staff add their own in LIANXIN_BRIEFING_TEMPLATES_DIR."""

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from conftest import PASSWORD
from lianxin.accounts.models import User
from lianxin.briefings.textfiles import (
    Fragment,
    Placeholder,
    TemplateError,
    briefing_template,
    briefing_templates,
    parse_template,
)
from lianxin.core.figures import measure_named

# Figures the templates name that a later module registers (honours, care).
AWAITED = {"care-visited", "honours-50-year-medals"}


def test_the_built_in_templates_read_and_name_registered_figures() -> None:
    templates = briefing_templates()
    assert templates.broken == {}
    assert {"july_first", "year_in_review"} <= set(templates.usable)
    for text in templates.usable.values():
        unknown = {name for name in text.measures() if measure_named(name) is None}
        assert unknown <= AWAITED, text.key
        assert len([s for s in text.sections if s.heading]) >= 6
    assert templates.usable["july_first"].name == "“七一”系列活动"
    assert templates.usable["year_in_review"].name == "年度回顾"


def test_a_template_reads_as_its_title_lead_sections_and_paragraphs() -> None:
    text = parse_template(
        "; a note for whoever edits the file\n"
        "name: 测试\n"
        "about：一行说明\n"
        "\n"
        "# {org}{year}年简报\n"
        "导语第一行，\n"
        "导语第二行。\n"
        "\n"
        "第二段。\n"
        "## 组织集中学习\n"
        "开展集中学习{about:activities-study:场}[[，覆盖党员{about:members-covered:人}]]，\n"
        "解决率{percent:demands-resolution-rate}，占比{percent:activities-study/activities-held}。\n",
        "test",
    )
    assert (text.key, text.name, text.about) == ("test", "测试", "一行说明")
    assert text.title == (Placeholder("org"), Placeholder("year"), "年简报")
    lead, study = text.sections
    assert lead.heading == "" and lead.paragraphs == (("导语第一行，导语第二行。",), ("第二段。",))
    assert study.heading == "组织集中学习"
    assert study.paragraphs == (
        (
            "开展集中学习",
            Placeholder("about", ("activities-study",), "场"),
            Fragment(("，覆盖党员", Placeholder("about", ("members-covered",), "人"))),
            "，解决率",
            Placeholder("percent", ("demands-resolution-rate",)),
            "，占比",
            Placeholder("percent", ("activities-study", "activities-held")),
            "。",
        ),
    )
    assert text.measures() == {"activities-study", "members-covered", "demands-resolution-rate", "activities-held"}


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("# 标题\n## 节\n{foo}\n", "t:3: {foo} is not a placeholder"),
        ("# 标题\n## 节\n{about:}\n", "t:3: {about:} names no figure"),
        ("# 标题\n## 节\n{percent:a:场}\n", "names no figure"),
        ("# 标题\n## 节\n{sum:activities-held}\n", "written about:, count: or percent:"),
        ("# 标题\n## 节\n正文{org\n", "t:3: a brace that opens"),
        ("# 标题\n## 节\n正文}\n", "a brace that opens"),
        ("# 标题\n## 节\n[[甲[[乙]]]]\n", "they do not nest"),
        ("# 标题\n## 节\n[[甲\n", "[[ without its ]]"),
        ("# 标题\n## 节\n甲]]\n", "]] without its [["),
        ("# {about:activities-held:场}\n## 节\n", "t:1: a title names no figure"),
        ("正文\n# 标题\n## 节\n", "t:1: text before the title"),
        ("## 节\n正文\n", "text before the title"),
        ("name: 无标题\n", "t: no title"),
        ("# 标题\n正文\n", "no section"),
        ("# 标题\n## 节\n# 又一个标题\n", "t:3: a second title"),
    ],
)
def test_a_template_that_cannot_be_read_names_its_line(text: str, error: str) -> None:
    with pytest.raises(TemplateError) as raised:
        parse_template(text, "t")
    assert error in str(raised.value)


def test_staff_add_a_template_and_replace_a_built_in_one_in_their_folder(tmp_path: Path, settings: Any) -> None:
    (tmp_path / "party_day.txt").write_text("name: 主题党日\n# {whole}主题党日\n## 开展主题党日\n正文。\n", "utf-8")
    (tmp_path / "july_first.txt").write_text("name: 本市七一\n# 七一\n## 节\n正文。\n", "utf-8")
    (tmp_path / "broken.txt").write_text("# 标题\n## 节\n{nope}\n", "utf-8")
    (tmp_path / "notes.md").write_text("not a template", "utf-8")
    settings.LIANXIN_BRIEFING_TEMPLATES_DIR = str(tmp_path)
    templates = briefing_templates()
    assert templates.usable["party_day"].name == "主题党日"
    assert templates.usable["july_first"].name == "本市七一"
    assert "year_in_review" in templates.usable
    assert set(templates.broken) == {"broken"} and "broken.txt:3" in templates.broken["broken"]
    assert briefing_template("broken") is None and briefing_template("notes") is None


def test_the_new_briefing_page_offers_the_staffs_templates_and_says_what_is_wrong_with_one(
    tmp_path: Path, settings: Any, client: Client, district_admin: User
) -> None:
    (tmp_path / "party_day.txt").write_text("name: 主题党日简报\n# 主题党日\n## 节\n正文。\n", "utf-8")
    (tmp_path / "broken.txt").write_text("# 标题\n## 节\n{nope}\n", "utf-8")
    settings.LIANXIN_BRIEFING_TEMPLATES_DIR = str(tmp_path)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert client.login(username=district_admin.username, password=PASSWORD)
    page = client.get("/briefings/new/").content.decode()
    assert '<option value="party_day">主题党日简报</option>' in page
    assert "broken.txt:3: {nope} is not a placeholder" in page
    assert 'value="broken"' not in page


def test_a_template_file_too_long_or_not_utf8_is_not_offered(tmp_path: Path, settings: Any) -> None:
    (tmp_path / "big.txt").write_text("# 标题\n## 节\n" + "字" * 40_000, "utf-8")
    (tmp_path / "gbk.txt").write_bytes("# 标题\n## 节\n正文\n".encode("gbk"))
    settings.LIANXIN_BRIEFING_TEMPLATES_DIR = str(tmp_path)
    broken = briefing_templates().broken
    assert "longer than" in broken["big"] and "UTF-8" in broken["gbk"]
