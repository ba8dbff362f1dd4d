"""The corpus holds the document exactly as published; everything else is derived from it."""

import hashlib

from jxai_assistant.paths import document_path

PUBLISHED_SHA256 = "7514b9b7a76382d4b97fc033dea3b0cd2824ced280d77488facdcb1f221dad84"


def test_the_document_in_the_corpus_is_byte_for_byte_the_published_text():
    assert hashlib.sha256(document_path().read_bytes()).hexdigest() == PUBLISHED_SHA256
