from pipeline.segmentation import JiebaSegmenter, latin_runs


def test_latin_runs_stay_whole():
    text = "由Björn Ommer教授领衔，Stability AI与DeepMind合作"
    words = JiebaSegmenter().words(text)
    assert "Björn Ommer" in words
    assert "Stability AI" in words
    assert "DeepMind" in words


def test_title_abbreviation_breaks_a_latin_run():
    text = "前CTO Tom Mason的领英"
    spans = list(latin_runs(text))
    assert [text[s:e] for s, e in spans] == ["CTO", "Tom Mason"]


def test_tokens_cover_text_exactly(nlp):
    text = "据悉，首席运营官Shan Shan Wong和 首席技术官Christian Laforte\n将担任临时CEO。"
    doc = nlp.make_doc(text)
    assert doc.text == text
    assert "Shan Shan Wong" in [t.text for t in doc]


def test_sentences_split_on_chinese_and_western_punctuation(nlp):
    text = "他说：“我们辞职了。”随后离开。Pi网站访问量不到400万! 模型已迭代到2.5代\n新的一行"
    doc = nlp(text)
    sents = [s.text.strip() for s in doc.sents]
    assert sents == ["他说：“我们辞职了。”", "随后离开。", "Pi网站访问量不到400万!", "模型已迭代到2.5代", "新的一行"]


def test_span_groups_follow_a_token_split():
    """A split after span groups exist must not shift them onto other characters."""
    from pipeline import language
    from pipeline.spans import split_at

    nlp = language.build()
    doc = nlp.make_doc("张三辞任公司执行董事一职。")
    start = doc.text.index("执行董事")
    doc.spans["titles"] = [doc.char_span(start, start + 4, label="TITLE", alignment_mode="expand")]
    split_at(doc, [1])
    assert doc.spans["titles"][0].text == doc.char_span(start, start + 4, alignment_mode="expand").text
