from pipeline.titles import find_titles


def test_titles_with_status_words():
    found = {(v["title"], v.get("status")) for _, _, v in find_titles("前CTO Tom Mason和临时CEO，原董事长")}
    assert found == {("CTO", "former"), ("CEO", "interim"), ("董事长", "former")}


def test_longest_title_wins_and_latin_titles_are_whole_words():
    titles = [v["title"] for _, _, v in find_titles("联合创始人兼首席执行官，CEOs不算")]
    assert titles == ["联合创始人", "首席执行官"]


def test_title_kinds():
    kinds = {v["title"]: v["kind"] for _, _, v in find_titles("DeepMind联创，创始人，总裁")}
    assert kinds == {"联创": "cofounder", "创始人": "founder", "总裁": "role"}
