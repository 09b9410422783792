"""The note's hint tells the truth: she may share her notes with her midwife in a report."""

import re


def note_hint(client) -> str:
    client.post("/language", data={"language": "en"})
    page = client.get("/").get_data(as_text=True)
    return re.search(r'<label for="note"[^>]*>(.*?)</label>', page, re.S).group(1)


def test_the_hint_says_notes_can_be_shared_in_a_report(client, alice):
    hint = note_hint(client)
    assert "unless you share your notes with your midwife in a report" in hint


def test_the_report_form_is_where_she_chooses_to_share_them(client, alice):
    client.post("/language", data={"language": "en"})
    shares = client.get("/shares").get_data(as_text=True)
    assert 'name="include_notes"' in shares and "Include my notes" in shares
