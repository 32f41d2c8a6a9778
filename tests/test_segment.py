"""Segmentation: spaCy's Chinese tokens without spaCy, and jieba's dictionary from our cache."""

from __future__ import annotations

import marshal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import BUDGET_2024, FINAL_2021
from narrative_check.extract import segment

# Report phrasing, with every kind of whitespace spaCy's alignment treats apart: one space
# (a trailing space), two, a tab, an ideographic space, line breaks.
_PIECES = st.sampled_from(["一般公共预算", "财政拨款", "人员经费", "支出", "较上年", "增加", "“三公”经费", "，", "、",
                           "2021年度", "本部门", "共计", "12.5", "万元", "%", "ab", "（一）", " ", "  ", "\t", "\u3000",
                           "\n", "\r\n", "\n\n"])


@pytest.fixture(scope="module")
def spacy_chinese():
    """spaCy's Chinese tokenizer over our segmenter: the tokens `segment.tokens` must reproduce."""
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.tokenizer.jieba_seg = segment.segmenter()  # it calls .cut(text, cut_all=False) on whatever is here
    return nlp


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=14).map("".join))
def test_tokens_are_spacys_chinese_tokens(spacy_chinese, text):
    expected = [(t.text, t.idx, t.whitespace_ == " ") for t in spacy_chinese.make_doc(text)]
    assert [tuple(t) for t in segment.tokens(text)] == expected


@pytest.mark.parametrize("report", [BUDGET_2024, FINAL_2021], ids=lambda p: p.name)
def test_tokens_of_whole_reports_are_spacys(spacy_chinese, report):
    text = report.read_text(encoding="utf-8")
    expected = [(t.text, t.idx, t.whitespace_ == " ") for t in spacy_chinese.make_doc(text)]
    assert [tuple(t) for t in segment.tokens(text)] == expected


def test_words_drop_space_tokens_and_keep_user_words():
    # every word here but 增加 comes from lexicons/jieba_userdict.tsv: jieba alone cuts
    # 一般/公共/预算/财政拨款/收入/较/上年/增加/三公/经费
    assert segment.words(" 一般公共预算财政拨款收入\u3000较上年增加  三公经费") == (
        "一般公共预算", "财政拨款收入", "较上年", "增加", "三公经费")
    assert segment.words("") == ()


def test_aligned_refuses_words_that_do_not_spell_the_text():
    with pytest.raises(ValueError):
        segment.aligned(["支出", "增长"], "支出增加")


def test_install_dictionary_sets_what_jieba_reads():
    """Fails if a jieba release keeps its prefix dictionary elsewhere than install_dictionary puts it."""
    import jieba

    fresh = jieba.Tokenizer()
    assert (type(fresh.FREQ), type(fresh.total), fresh.initialized) == (dict, int, False)
    freq = {"预": 0, "预算": 50, "支": 0, "支出": 50, "预算支": 0, "预算支出": 1}
    segment.install_dictionary(fresh, freq, 101)
    assert fresh.lcut("预算支出", HMM=False) == ["预算", "支出"]  # the installed words, not jieba's "预算支出"...
    assert fresh.FREQ is freq and fresh.total == 101  # ...and no dictionary loaded over them


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv(segment.CACHE_DIR_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_dictionary_cache_is_built_once_then_read(cache_dir):
    import jieba

    built = jieba.Tokenizer()
    segment._load_dictionary(built)
    path = segment.dictionary_cache_path()
    assert path.parent == cache_dir and path.is_file()
    read = jieba.Tokenizer()
    read.initialize = None  # reading the cache must not call jieba's own loading
    segment._load_dictionary(read)
    assert read.initialized and read.total == built.total and read.FREQ == built.FREQ
    assert read.lcut("部门决算说明") == built.lcut("部门决算说明")


def test_damaged_cache_is_rebuilt(cache_dir):
    import jieba

    path = segment.dictionary_cache_path()
    cache_dir.mkdir()
    path.write_bytes(marshal.dumps((["not", "a", "dictionary"], 1))[:-3])
    tokenizer = jieba.Tokenizer()
    segment._load_dictionary(tokenizer)
    assert tokenizer.initialized and len(tokenizer.FREQ) > 300_000
    freq, total = marshal.loads(path.read_bytes())
    assert total == tokenizer.total and freq == tokenizer.FREQ


def test_unwritable_cache_folder_still_segments(tmp_path, monkeypatch):
    import jieba

    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv(segment.CACHE_DIR_ENV, str(blocker / "cache"))  # cannot be made: its parent is a file
    tokenizer = jieba.Tokenizer()
    segment._load_dictionary(tokenizer)
    assert tokenizer.lcut("部门决算") == ["部门", "决算"]


def test_cache_path_names_the_jieba_version():
    import jieba

    assert jieba.__version__ in segment.dictionary_cache_path().name
