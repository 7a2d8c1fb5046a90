"""Finding and splitting real 情况说明 wherever they are published: crawled pages with the body
flattened onto one line, headings run into running text, headings wrapped over two lines, a
目录 with or without dotted leaders, older templates' titles, and a page with no text at all.

Each inline text reproduces one failure seen in the real corpus (named in the test); the last
test runs over the corpus itself when it is beside the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from juesuan.model.source import Source
from juesuan.readers.crawled import attached_tables, page_meta, title_unit_year
from juesuan.readers.headings import section_heading, split_line
from juesuan.readers.narrative import narrative_lines, split_sections
from juesuan.readers.text import read_text
from tests.conftest import REPO

CORPUS = REPO.parent / "shared" / "corpus" / "final-accounts"


def lines_of(text: str) -> list[tuple[str, Source | None]]:
    return [
        (line, Source(file="inline.txt", line=n + 1)) for n, line in enumerate(text.split("\n"))
    ]


def numbers(text: str) -> list[str]:
    return [s.number for s in split_sections(lines_of(text))]


# The form of the crawled pages 004–018: header lines, a separator, then breadcrumb, share
# buttons, the title and the whole body on ONE line, an attachment list and the download list.
CRAWLED = (
    "标题: 2015年度某某县某某局部门决算说明\n"
    "发布时间: 2016-08-29 09:40\n"
    "文号: \n"
    "发布机构: 某某县某某局\n"
    "栏目: 部门决算公开\n"
    "原文链接: https://example.gov.cn/bmjsgk/201608/t20160829_1.htm\n"
    "==================== 正文 ====================\n"
    "当前位置： 首页政务公开财政资金部门决算公开 2015年度某某县某某局部门决算说明 "
    "时间：2016-08-29 09:40 微信 微博 QQ空间 2015年度某某县某某局部门决算说明 按照《关于"
    "深入推进预决算公开工作的通知》的要求，现将我单位2015年度部门决算说明如下: "
    "一、 部门主要职责某某局的主要职责是：（一）负责研究提出政策并组织实施。（二）负责宣传工作。"
    "二、部门预算单位基本情况某某局包括5个机关行政处室，列入部门决算编制范围的单位见下表: "
    "单位名称经费性质人员编制数在职人数某某局财政核拨1520 "
    "三、部门主要工作总结2015年，我局完成了以下工作：（一）深化合作。（二）拓展交流。"
    "四、2015年决算收支总体情况2015年年初结转和结余149.57万元，本年收入1349.39万元，本年支出"
    "1004.16万元。（一）2015本年收入1349.39万元，具体情况如下：1. 财政拨款收入1300.69万元。"
    "2. 其他收入48.70万元。（二）2015本年支出 1004.16万元。"
    "五、公共财政拨款支出决算情况2015年公共财政拨款支出372.33万元，主要支出项目包括："
    "（一）工资福利支出263.08万元。（七）其他支出0万元六、政府性基金支出决算情况2015年度政府性"
    "基金支出 0 万元。七、“三公”经费公共财政拨款支出决算情况2015年“三公”经费公共财政拨款支出"
    "181.62万元。 附件： 1.收支决算总表 2.收入决算表3.支出决算表4. 财政拨款收入支出决算总表 "
    "来源：某某县某某局 附件下载 附件1_收支决算总表.xls附件2_收入决算表.xls"
)


def test_flattened_crawled_page() -> None:
    sections = split_sections(lines_of(CRAWLED))
    assert [s.number for s in sections] == ["一", "二", "三", "四", "五", "六", "七"]
    assert [s.title for s in sections] == [
        "部门主要职责",
        "部门预算单位基本情况",
        "部门主要工作总结",
        "2015年决算收支总体情况",
        "公共财政拨款支出决算情况",
        "政府性基金支出决算情况",
        "“三公”经费公共财政拨款支出决算情况",
    ]
    assert sections[0].text.startswith("某某局的主要职责是：")
    # the body is back on lines: sub-sections and items start lines (the claims read them)
    assert "（一）2015本年收入1349.39万元，具体情况如下：" in sections[3].text.split("\n")
    assert "2. 其他收入48.70万元。" in sections[3].text.split("\n")
    text = "\n".join(s.text for s in sections)
    for frame in (
        "标题",
        "发布时间",
        "原文链接",
        "当前位置",
        "微信",
        "QQ空间",
        "附件",
        ".xls",
        "来源",
    ):
        assert frame not in text
    assert sections[-1].text == "2015年“三公”经费公共财政拨款支出181.62万元。"
    assert all(s.source is not None and s.source.line == 8 for s in sections)


def test_crawled_page_read_as_narrative_only() -> None:
    report = read_text(CRAWLED.encode("utf-8"), Path("page.txt"))
    assert len(report.sections) == 7
    assert report.unit_name == "某某县某某局" and report.year == 2015
    notes = " ".join(report.reader_notes)
    assert "公开表以附件发布（收支决算总表.xls、收入决算表.xls" in notes
    assert "发布机构：某某县某某局" in notes and "https://example.gov.cn" in notes
    meta = page_meta(lines_of(CRAWLED))
    assert meta is not None and meta.date == "2016-08-29 09:40"
    assert title_unit_year("2016年平潭综合实验区苏澳镇人民政府部门决算说明") == (
        "平潭综合实验区苏澳镇人民政府",
        2016,
    )


@pytest.mark.parametrize(
    ("inside", "why"),
    [
        ("根据“三、部门主要工作总结”的要求编写。", "a quoted title"),
        ("第三、四季度支出较多。", "第X、 is an ordinal"),
        ("涉及一、二、三类资产。", "a list of numerals"),
        ("三、4个项目已完成。", "a count, not a title"),
        ("其中二、三级预算单位情况见下表。", "a list again"),
    ],
)
def test_heading_inside_running_text(inside: str, why: str) -> None:
    text = (
        "一、部门主要职责本局负责全县工作。" + inside + "二、部门预算单位基本情况本局包括3个处室。"
    )
    sections = split_sections(lines_of(text))
    assert [s.number for s in sections] == ["一", "二"], why
    assert inside in sections[0].text.replace("\n", "")


def test_section_numbers_only_go_up_in_a_flattened_body() -> None:
    # an annex numbered again from 一 inside 九 (016: 九（四）项目绩效自评报告 一、项目支出概况 …)
    text = (
        "八、机关运行经费支出情况2017年机关运行经费支出33.57万元。"
        "九、其他重要事项说明（一）政府采购情况本部门无政府采购。（四）项目绩效自评报告"
        "一、项目支出概况（一）单位基本情况本部门负责综合事务。二、项目实施的基本情况项目按计划实施。"
        "十、名词解释（一）财政拨款收入：指本级财政当年拨付的资金。"
    )
    sections = split_sections(lines_of("一、部门主要职责负责综合事务。\n" + text))
    assert [s.number for s in sections] == ["一", "八", "九", "十"]
    assert "一、项目支出概况" in sections[2].text


def test_heading_and_its_text_on_one_line() -> None:
    # a DOCX paragraph or a web page that runs the heading into its first sentence
    text = (
        "第三部分 2021年度部门决算情况说明\n"
        "一、收入支出决算总体情况说明2021年度收、支总计均为217.02万元。\n"
        "二、收入决算情况说明 本年收入合计217.00万元。\n"
        "十、政府采购支出、国有资产占用情况说明（一）政府采购支出情况本年政府采购支出0万元。"
    )
    sections = split_sections(lines_of(text))
    assert [(s.number, s.title) for s in sections] == [
        ("一", "收入支出决算总体情况说明"),
        ("二", "收入决算情况说明"),
        ("十", "政府采购支出、国有资产占用情况说明"),
    ]
    assert sections[0].text == "2021年度收、支总计均为217.02万元。"
    assert sections[2].text.startswith("（一）政府采购支出情况")


# PDF 001 as pdfium reads it: the 目录 lists 第三部分 and its sections; in the body the part
# heading wraps ("…部门决算情况" / "说明"), so the last heading that says 情况说明 was the 目录's
# and every section came out empty.
WRAPPED = """上海市某某区某某局
2024年度部门决算
目 录
第一部分某某局概况
一、主要职能
二、部门决算单位构成
第三部分某某局2024年度部门决算情况说明
一、收入支出决算总体情况说明
二、收入决算情况说明
九、财政拨款“三公”经费及会议费、培训费支出决算
情况说明
第四部分名词解释
第一部分 某某局概况
一、主要职能
某某局是主管全区某某工作的区政府工作部门。
第三部分某某局2024年度部门决算情况
说明
一、收入支出决算总体情况说明
某某局2024年度收入支出总计2995.39万元。与2023年度相比，收入
支出总计减少56.95万元，下降1.87%。
二、收入决算情况说明
本年收入合计2946.25万元。
九、财政拨款“三公”经费及会议费、培训费支出决
算情况说明
（一）“三公”经费支出决算情况说明。
“三公”经费支出决算0.95万元。
第四部分 名词解释
一、财政拨款收入：指单位本年度从本级财政部门取得的财政拨款。"""


def test_wrapped_heading() -> None:
    sections = split_sections(lines_of(WRAPPED))
    assert [s.number for s in sections] == ["一", "二", "九"]
    assert all(s.text for s in sections)
    assert sections[0].text.startswith("某某局2024年度收入支出总计2995.39万元。")
    assert sections[2].title == "财政拨款“三公”经费及会议费、培训费支出决算情况说明"
    assert sections[2].text.startswith("（一）“三公”经费支出决算情况说明。")
    assert sections[0].source is not None and sections[0].source.line == 18


# 012–016: the 目录 flattened with the body, with dotted leaders (and page numbers glued to the
# next entry in 016), its last entry running into the document's preamble.
TOC = (
    "当前位置： 首页部门决算公开 2017年度某某办部门决算说明 时间：2018-08-09 10:43 "
    "微信 微博 QQ空间 "
    "目 录一、部门主要职责..................................1二、部门决算单位基本情况..........2"
    "三、部门主要工作总结.........3四、收入支出决算总体情况..........4"
    "五、一般公共预算财政拨款支出决算情况............... 5六、政府性基金支出决算情况........7"
    "七、一般公共预算财政拨款“三公”经费支出决算情况八、其他重要事项说明 ................9"
    "（一）机关运行经费情况（二）政府采购情况（三）项目绩效自评报告（预算绩效情况说明）"
    "九、名词解释...............14十、附表：2017年度部门决算表................16按照《关于批复"
    "2017年度部门决算的通知》的要求，现将我单位2017年度部门决算说明如下:"
    "一、部门主要职责某某办的主要职责是：（一）负责综合事务协调工作。"
    "二、部门决算单位基本情况本部门包括3个处室。三、部门主要工作总结2017年，本部门完成了工作。"
    "四、2017年决算收支总体情况2017年本部门年初结转和结余11.39万元。"
    "五、一般公共预算拨款支出决算情况2017年一般公共预算拨款支出297.70万元。"
    "六、政府性基金支出决算情况2017年度政府性基金支出0.00万元。"
    "七、一般公共预算拨款“三公”经费支出决算情况2017年度“三公”经费13.34万元。"
    "八、其他重要事项说明（一）机关运行经费2017年度机关运行经费支出33.57万元。"
    "九、名词解释（一）财政拨款收入：指本级财政当年拨付的资金。"
)


def test_toc_with_dotted_leaders() -> None:
    sections = split_sections(lines_of(TOC))
    assert [s.number for s in sections] == ["一", "二", "三", "四", "五", "六", "七", "八", "九"]
    assert all("....." not in s.text and "....." not in s.title for s in sections)
    assert sections[0].text == "某某办的主要职责是：\n（一）负责综合事务协调工作。"
    assert sections[4].title == "一般公共预算拨款支出决算情况"
    assert not any(
        t.startswith("二、部门决算单位基本情况...") for t, _ in narrative_lines(lines_of(TOC))
    )


def test_toc_without_leaders_or_marker() -> None:
    # a 目录 of bare headings: the narrative starts at the 一 that is followed by text
    text = "一、部门主要职责\n二、部门预算单位基本情况\n三、部门主要工作总结\n"
    text += "一、部门主要职责\n本局负责全县工作。\n二、部门预算单位基本情况\n本局包括3个处室。"
    sections = split_sections(lines_of(text))
    assert [(s.number, s.text) for s in sections] == [
        ("一", "本局负责全县工作。"),
        ("二", "本局包括3个处室。"),
    ]


def test_a_toc_line_above_a_table_list_hides_nothing() -> None:
    # 101 prints a "目录" line at the top of its table part: not a 目录 of headings
    text = "第二部分 2022年度部门决算情况说明\n一、收入支出决算总体情况说明\n收支总计100万元。\n"
    text += "第三部分 2022年度部门决算表\n目录\n收入支出决算总表\n公开01表\n第四部分 专业名词解释\n"
    text += "1.基本支出：指为保障机构正常运转而发生的支出。"
    from juesuan.readers.narrative import split_parts

    parts = {p.number: p for p in split_parts(lines_of(text))}
    assert set(parts) == {"第二部分", "第三部分", "第四部分"}
    assert parts["第三部分"].text.startswith("收入支出决算总表")


def test_older_template_titles() -> None:
    # headings of the Fujian 2015–2017 templates read as headings, whatever follows them
    for line, title in [
        ("一、 部门主要职责平潭综合实验区台湾工作部的主要职责是：", "部门主要职责"),
        ("一、 澳前片区开发管理局主要职责 2015年澳前片区", "澳前片区开发管理局主要职责"),
        ("四、2015年决算收支总体情况2015年区台湾工作部年初", "2015年决算收支总体情况"),
        ("九、项目绩效自评报告（一）项目概况平潭协和医院", "项目绩效自评报告"),
        ("十一、名词解释（一）财政拨款收入：指本级财政", "名词解释"),
        ("十、其他重要事项的情况说明（一）机关运行经费", "其他重要事项的情况说明"),
    ]:
        first = split_line("前文。" + line)
        assert first[1].startswith(line.split("、")[0]), line
        heading = section_heading(first[1])
        assert heading is not None and heading.title == title


def test_image_only_page() -> None:
    # 008: the 情况说明 was published as images and the tables as XLS attachments
    text = (
        "标题: 2015年度某某办公室部门决算说明\n发布机构: 某某局\n==== 正文 ====\n"
        "当前位置： 首页部门决算公开 2015年度某某办公室部门决算说明 时间：2016-08-10 23:21 "
        "微信 微博 QQ空间 来源：某某局 附件下载 附件10_政府采购情况表.xls附件1_收支决算总表.xls"
        "附件2_收入决算表.xls"
    )
    # a 决算 page with nothing to check: said plainly, neither passed nor refused as unreadable
    report = read_text(text.encode("utf-8"), Path("image-only.txt"))
    assert report.kind is not None and report.kind.is_final
    assert not report.sections
    reason = " ".join(report.reader_notes)
    assert "正文没有情况说明文字" in reason and "图片" in reason
    assert (
        "公开表以附件发布（政府采购情况表.xls、收支决算总表.xls、收入决算表.xls，共 3 个）"
        in reason
    )
    from juesuan.api import audit

    found = [f for f in audit(report).findings if f.severity.value in ("error", "warning")]
    assert [f.rule_id for f in found] == ["C.tables_present"]
    assert "无可核对的内容" in found[0].message
    assert attached_tables(lines_of(text)) == [
        "政府采购情况表.xls",
        "收支决算总表.xls",
        "收入决算表.xls",
    ]


# The sections each corpus narrative prints (checked by eye against the files).
OLD_2015 = ["一", "二", "三", "四", "五", "六", "七"]
OLD_2016 = [*OLD_2015, "八", "九", "十", "十一"]
NEW_2017 = OLD_2016[:10]
SHANGHAI = OLD_2016
CORPUS_SECTIONS = {
    "001_shpt_caizhengju_2024.pdf": SHANGHAI,
    "002_shpt_guihuaziyuanju_2024.pdf": SHANGHAI,
    "003_shpt_shehuigongzuobu_2024.pdf": SHANGHAI,
    "004_pingtan_taiwangongzuobu_2015.txt": OLD_2015,
    "005_pingtan_renda_2015.txt": OLD_2015,
    "006_pingtan_aoqianpianqu_2015.txt": OLD_2015,
    "007_pingtan_xingzhengfuwuzhongxin_2015.txt": OLD_2015,
    "009_pingtan_sanjiayiyuanzhihuibu_2016.txt": OLD_2016,
    "010_pingtan_suaozhen_2016.txt": OLD_2016,
    "011_pingtan_gaosugongluzhihuibu_2016.txt": OLD_2016,
    "012_pingtan_shichangjianguanju_2017.txt": NEW_2017,
    "013_pingtan_dongxiangxiang_2017.txt": NEW_2017,
    "014_pingtan_daoanban_2017.txt": NEW_2017,
    "015_pingtan_lanchengpianqu_2015.txt": OLD_2015,
    "016_pingtan_zimaoban_2017.txt": NEW_2017,
    "017_pingtan_renda_2016.txt": OLD_2016,
    "018_pingtan_shichangjianguanju_2016.txt": OLD_2016,
    "101_xian_weishengjiankangweiyuanhui_2022.pdf": [*OLD_2016, "十二", "十三", "十四"],
}


@pytest.mark.parametrize("name", sorted(CORPUS_SECTIONS))
def test_corpus_narrative_sections(name: str) -> None:
    path = CORPUS / name
    if not path.exists():
        pytest.skip("../shared/corpus is not beside the repository")
    from juesuan import api

    report = api.load(path)
    assert [s.number for s in report.sections] == CORPUS_SECTIONS[name]
    assert all(s.text.strip() for s in report.sections), "a section without text"
    assert all(len(s.title) <= 40 and "..." not in s.title for s in report.sections)


def test_corpus_image_only_page_says_so() -> None:
    path = CORPUS / "008_pingtan_zhengshouban_2015_imageonly.txt"
    if not path.exists():
        pytest.skip("../shared/corpus is not beside the repository")
    report = read_text(path.read_bytes(), path)
    notes = " ".join(report.reader_notes)
    assert "正文没有情况说明文字" in notes
    assert "共 10 个" in notes
    assert report.unit_name == "平潭综合实验区土地房屋征收安置工作领导小组办公室"


def test_every_reader_splits_a_flattened_body() -> None:
    # the same page as HTML: the shared splitting is applied to the HTML reader's paragraphs
    from juesuan.readers.html import read_html

    body = CRAWLED.split("==================== 正文 ====================\n")[1]
    html = f"<html><head><title>t</title></head><body><div>{body}</div></body></html>"
    report = read_html(html.encode("utf-8"), Path("page.html"))
    assert [s.number for s in report.sections] == ["一", "二", "三", "四", "五", "六", "七"]


def test_a_numbered_list_is_not_a_narrative() -> None:
    # a unit's duties printed as 一、… 二、… sentences (budget 041) open no 情况说明
    text = "主要职能\n一、加强党的建设。落实基层党建责任制，加强基层组织建设。\n"
    text += "二、统筹社区发展。统筹落实重大决策。\n三、组织公共服务。落实社区服务。"
    assert numbers(text) == []
    assert section_heading("一、加强党的建设。落实基层党建责任制") is None
    assert section_heading("三、服务对象满意度情况。") is not None  # a heading may end with 。


@pytest.mark.parametrize("page", ["4", "- 3 -", "—7—", "— 12 —"])
def test_a_page_number_between_two_lines_of_a_sentence_is_left_out(page: str) -> None:
    # 江苏 030 ("增长" / "4" / "13.11%"), 北京 1239 ("- 3 -"), 重庆 1093 ("—7—")
    text = (
        "第一部分 部门预算情况说明\n一、收支预算总体情况\n"
        f"收入预算总计27664.22万元，与上年相比增加3205.79万元，增长\n{page}\n13.11%。\n"
        "二、收入预算情况\n收入 12 项。"
    )
    sections = split_sections(lines_of(text))
    assert sections[0].text.endswith("增长\n13.11%。")
    assert sections[1].text == "收入 12 项。"  # a line with words and a number stays


# 西安's 部门综合预算 (2019–2022): four parts, the sections numbered on from part to part, and no
# part named 情况说明; the narrative is parts one to three, the tables part ends it.
XIAN_BUDGET = """西安市某某局 2022 年部门综合预算
第一部分 部门概况
一、部门主要职责及机构设置
某某局主要职责是：负责全市某某工作。
二、2022 年部门工作任务
做好某某工作。
三、部门预算单位构成
纳入本部门预算编制范围的预算单位共有 2 个。
四、部门人员情况说明
截止 2021 年底，本部门编制人数 45 人。
第二部分 收支情况
五、2022 年部门预算收支说明
2022 年本部门预算收入 1899.9 万元，其中一般公共预算拨款收入 1899.9 万元。
第三部分 其他说明情况
六、部门预算“三公”经费等情况说明
2022 年本部门当年一般公共预算“三公”经费预算支出 0.27 万元。
七、机关运行经费安排说明
2022 年本部门机关运行经费 12.5 万元。
第四部分 公开报表
一、收支总表
"""


def test_budget_parts_numbering_on_are_one_narrative() -> None:
    sections = split_sections(lines_of(XIAN_BUDGET))
    assert [s.number for s in sections] == ["一", "二", "三", "四", "五", "六", "七"]
    assert "1899.9" in sections[4].text and "0.27" in sections[5].text


def test_a_part_that_numbers_again_from_one_still_ends_the_narrative() -> None:
    """A 决算 whose 情况说明 part is followed by a 名词解释 part numbered from 一 again."""
    text = (
        "第一部分 部门概况\n一、主要职能\n负责某某工作。\n"
        "第二部分 2022年度部门决算情况说明\n一、收入支出决算总体情况\n收入 10.00 万元。\n"
        "二、收入决算情况\n收入 10.00 万元。\n"
        "第三部分 名词解释\n一、财政拨款收入\n指本级财政拨款。\n"
    )
    assert numbers(text) == ["一", "二"]
