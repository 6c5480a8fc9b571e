"""Cleaning drops page furniture and keeps article text verbatim."""

from ingest.clean import clean_body


def test_image_captions_are_dropped():
    text = "Intro paragraph here.\n\nPicture of a couple facing away. Wondering why?\n\nBody text."
    assert clean_body(text) == "Intro paragraph here.\n\nBody text.\n"


def test_next_link_and_following_title_are_dropped():
    text = "Last paragraph of the post.\n\nNext\nNext\n\nWhat to Do When Your Partner Refuses\n"
    assert clean_body(text) == "Last paragraph of the post.\n"


def test_kept_text_is_unchanged_except_line_end_whitespace():
    text = "He said “I’m fine” — twice.  \r\nSecond line."
    assert clean_body(text) == "He said “I’m fine” — twice.\nSecond line.\n"


def test_control_characters_are_removed():
    assert clean_body("Hello\x07 world\x00.") == "Hello world.\n"
