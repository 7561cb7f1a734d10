"""``_json.mend_typography``: the documents' typographic quotes and comma, mended.

eims.txt §1 prints ``{“status”:0, "balance":"99.990000", "gift":"50.00000"}``
(quirk ``curly-quotes``) and §2 ``"mmstitle":"mms title decs"，"numbers":"123456"``
(quirk ``fullwidth-comma``); emay.txt prints ``“extendedCode”:”112”,``. Expected
texts are written out by hand, and the property checks the mended text with
``json.loads`` against the object it was typed from. Written to kill mutants
that survived ``tools/mutate.py codecs/_json.py`` (issue 17).
"""

from __future__ import annotations

import json

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from smswire.codecs._json import mend_typography


@pytest.mark.parametrize(
    ("text", "mended"),
    [
        # The documents' own examples.
        (
            '{“status”:0, "balance":"99.990000", "gift":"50.00000"}',
            '{"status":0, "balance":"99.990000", "gift":"50.00000"}',
        ),
        (
            '{"mmstitle":"mms title decs"，"numbers":"123456"}',
            '{"mmstitle":"mms title decs","numbers":"123456"}',
        ),
        (
            '{"content":"test"，"numbers":"123456"}',
            '{"content":"test","numbers":"123456"}',
        ),
        ('{“extendedCode”:”112”,"a":1}', '{"extendedCode":"112","a":1}'),
        # Mixed quote kinds close each other (the documents mix them).
        ('{“a": 1}', '{"a": 1}'),
        ("{”a“: 1}", '{"a": 1}'),
        ("{“”: 1}", '{"": 1}'),
        ("“”", '""'),
        ("“a”", '"a"'),
        ("“ab”“cd”", '"ab""cd"'),
        ("[“a”，“b”]", '["a","b"]'),
        ("，", ","),
        ("，，", ",,"),
        ("x，y", "x,y"),
        ("[1，2]", "[1,2]"),
        # ASCII-quoted strings are copied untouched, whatever they hold.
        ('{"a":"“x”，"，"b":1}', '{"a":"“x”，","b":1}'),
        ('{"a":"x\\"，y"，"b":1}', '{"a":"x\\"，y","b":1}'),
        ('{"a":"\\\\"，"b":1}', '{"a":"\\\\","b":1}'),
        ('{"k":"\\\\\\"，"，"b":“c”}', '{"k":"\\\\\\"，","b":"c"}'),
        ('"a"，"bc"，"d"', '"a","bc","d"'),
        ('""，""', '"",""'),
        ('"x"“y”', '"x""y"'),
        ('"\\u201c"，1', '"\\u201c",1'),
        ('"abc"，', '"abc",'),
        ('{"ab":"cd"，“ef”:"gh"}', '{"ab":"cd","ef":"gh"}'),
        # Only the two typographic quotes open or close a typographic string.
        ("X“a”", 'X"a"'),
        ("“aXb”", '"aXb"'),
        ("“a'b”", '"a\'b"'),
        ("‘a’，1", "‘a’,1"),
    ],
)
def test_mended(text: str, mended: str | None) -> None:
    assert mend_typography(text) == mended


@pytest.mark.parametrize(
    "text",
    [
        "",
        "{}",
        '{"a": 1}',
        '{"a": "“x”，"}',
        '["\\"", "\\\\"]',
        "abc",
        '{"status":0}',
    ],
)
def test_nothing_to_mend_is_none(text: str) -> None:
    assert mend_typography(text) is None


@pytest.mark.parametrize(
    "text",
    [
        # An ASCII string that never closes: nothing can be said about the rest.
        '"abc',
        '{“a”: "abc',
        '{“a”: "abc\\"',
        '"ab\\',
        '"\\',
        '"',
        '，"abc',
        '{"a":"b"，"c',
        # A typographic string that never closes, or holds a backslash.
        "“abc",
        '{"a": “x',
        "，“",
        "“",
        "“a\\”",
        '{“a\\"b”: 1}',
        "“\\",
        "“\\a”",
        "“\\”",
        "[“\\n”]",
    ],
)
def test_unmendable_is_none(text: str) -> None:
    assert mend_typography(text) is None


KEYS = st.text(
    st.characters(codec="utf-8", exclude_characters='"\\“”', exclude_categories=["Cc", "Cs"]),
    max_size=6,
)
VALUES = st.one_of(
    st.integers(-5, 5),
    st.none(),
    st.booleans(),
    st.text(st.sampled_from('ab"\\“”，,: {}[]短'), max_size=6),
)


def typeset(obj: dict[str, object], quotes: list[tuple[str, str]], commas: list[bool]) -> str:
    """``obj`` as the documents print it: keys in the given quotes, some commas full-width."""
    parts = []
    for i, (key, value) in enumerate(obj.items()):
        open_, close = quotes[i % len(quotes)]
        parts.append(f"{open_}{key}{close}:{json.dumps(value, ensure_ascii=False)}")
    text = ""
    for i, part in enumerate(parts):
        if i:
            text += "，" if commas[i % len(commas)] else ","
        text += part
    return "{" + text + "}"


@given(
    st.dictionaries(KEYS, VALUES, max_size=5),
    st.lists(st.sampled_from([('"', '"'), ("“", "”"), ("“", '"'), ("”", "”")]), min_size=1),
    st.lists(st.booleans(), min_size=1),
)
@example({"status": 0, "balance": "99.990000"}, [("“", "”"), ('"', '"')], [False])
@example({"a": 'x"，', "b": "\\"}, [('"', '"')], [True])
@example({"": "", "k": "“”"}, [("“", "”")], [True, False])
def test_typeset_json_mends_to_the_object(
    obj: dict[str, object], quotes: list[tuple[str, str]], commas: list[bool]
) -> None:
    text = typeset(obj, quotes, commas)
    mended = mend_typography(text)
    if mended is None:
        # Nothing was typeset: the text is JSON already.
        assert json.loads(text) == obj
    else:
        assert json.loads(mended) == obj
        assert mended != text
    clean = json.dumps(obj, ensure_ascii=False)
    assert mend_typography(clean) is None
