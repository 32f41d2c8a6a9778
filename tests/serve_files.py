"""Files the `serve` tests upload: a small Word report built with python-docx, whose figures do not add up."""

from __future__ import annotations

import io

WORD_TITLE = "某区人力社保局2021年度部门决算说明"
WORD_PARAGRAPHS = [
    "2021年度收入总计 1200.00 万元，比上年增加 200.00 万元，增长 30.0%。主要原因是人员增加。",
    "2021年度支出总计 1100.00 万元，比上年减少 100.00 万元，下降 8.3%。",
]
WORD_NAME = "2021年 决算说明.docx"


def word_report() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(WORD_TITLE, level=1)
    document.add_heading("一、收入支出决算总体情况说明", level=2)
    for text in WORD_PARAGRAPHS:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
