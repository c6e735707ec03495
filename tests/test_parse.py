"""Each supported format becomes a cleaned Document; bad files are refused with a reason."""

import json

import pytest

from index.errors import BadDate, BadDocument
from index.ingest.parse import parse_file
from tests.conftest import SAMPLE


def one(path, doc_id="doc"):
    docs = list(parse_file(path, doc_id))
    assert len(docs) == 1
    return docs[0]


def test_sample_txt_has_its_date_a_derived_title_and_no_share_debris():
    doc = one(SAMPLE, SAMPLE.name)

    assert str(doc.date) == "2024-12-09"
    assert doc.title == "The Kremlin is in a panic over its military bases in Syria"
    assert doc.text.startswith("The press secretary of Russian dictator Putin")
    assert "Share" not in doc.text
    assert doc.id == SAMPLE.name


def test_txt_without_a_date_is_kept_undated(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("Ministers met on Tuesday. They agreed on nothing.\n")

    doc = one(path)
    assert doc.date is None and doc.text == "Ministers met on Tuesday. They agreed on nothing."


def test_markdown_front_matter_and_headings(tmp_path):
    path = tmp_path / "story.md"
    path.write_text(
        "---\ntitle: Port reopens\ndate: 2024-05-01\nsource: Harbour Gazette\nurl: https://example.org/port\n"
        "author: Ana Lima\ndesk: maritime\n---\n\n# Port reopens\n\n## Cargo\n\nShips returned on Monday, "
        "the harbour master said.\n"
    )

    doc = one(path)
    assert (doc.title, str(doc.date), doc.source, doc.url, doc.author) == (
        "Port reopens", "2024-05-01", "Harbour Gazette", "https://example.org/port", "Ana Lima")
    assert doc.metadata == {"desk": "maritime"}
    assert doc.paragraphs[-1][2] == "Cargo"  # the paragraph knows its sub-heading


def test_json_record_keeps_its_id_and_unknown_fields(tmp_path):
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"id": "wire-7", "title": "Rates held", "date": "2024-03-02", "source": "Wire",
                                "body": "The bank held rates.", "section": "economy"}))

    doc = one(path)
    assert doc.id == "wire-7" and doc.metadata == {"section": "economy"}


def test_a_json_feed_export_gives_one_document_per_item_dated_or_not(tmp_path):
    """A feed reader's or CMS's export in JSON Feed (jsonfeed.org 1.1): the items, the feed's title as their source."""
    path = tmp_path / "harbour-desk.json"
    path.write_text(json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "Harbour Desk", "items": [
        {"id": "https://harbour.example/ships", "url": "https://harbour.example/ships", "title": "Ships leave",
         "content_text": "Ships left the harbour at noon, the coast guard said.",
         "date_published": "2024-04-02T10:00:00+02:00", "authors": [{"name": "Ana Petrenko"}]},
        {"id": "mayor", "title": "Mayor resigns",  # no date: kept undated
         "content_html": "<p>The mayor resigned on Tuesday.</p><p>Her deputy <b>takes over</b>.</p>"},
        {"id": "teaser", "title": "Coming up"},  # nothing but a title and no text: reported
    ]}))

    *docs, problem = parse_file(path, "harbour-desk.json")
    ships, mayor = docs
    assert (ships.id, ships.source, ships.author, str(ships.date)) == (
        "https://harbour.example/ships", "Harbour Desk", "Ana Petrenko", "2024-04-02")
    assert ships.url == "https://harbour.example/ships" and ships.text.startswith("Ships left the harbour")
    assert mayor.date is None and mayor.text == "The mayor resigned on Tuesday.\n\nHer deputy takes over."
    assert problem == (f"{path}#2", "record has no body")


def test_jsonl_bad_line_is_reported_and_the_rest_kept(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(
        json.dumps({"id": "a", "date": "2024-01-01", "body": "First story."}) + "\n"
        + "{not json\n"
        + json.dumps({"id": "b", "date": "yesterday-ish", "body": "Bad date."}) + "\n"
        + json.dumps({"id": "c", "body": "Undated story."}) + "\n"
    )

    items = list(parse_file(path, "feed"))
    assert [d.id for d in items if not isinstance(d, tuple)] == ["a", "c"]
    problems = [d for d in items if isinstance(d, tuple)]
    assert problems[0][0].endswith("feed.jsonl:2") and "invalid JSON" in problems[0][1]
    assert "unparseable date" in problems[1][1]


@pytest.mark.parametrize("notice", [
    "Subscribe to continue reading. Already a subscriber? Log in.",
    "This article is for subscribers only. Subscribe now",
    "You have reached your limit of free articles this month. Subscribe to read on.",
    "Цей матеріал доступний лише для передплатників. Передплатіть, щоб читати далі.",
    "Чтобы продолжить чтение, оформите подписку. Уже подписаны? Войдите.",
])
def test_a_page_saved_behind_a_paywall_is_skipped_saying_so(tmp_path, notice):
    path = tmp_path / "tartus.html"
    path.write_text("<html><head><title>Port of Tartus closes after storm | Gazette</title></head><body>"
                    f"<article><h1>Port of Tartus closes after storm</h1><div class='paywall'><p>{notice}</p></div>"
                    "</article></body></html>")

    with pytest.raises(BadDocument, match="only a paywall notice"):
        one(path)


def test_an_article_that_ends_with_a_subscribe_line_is_kept(tmp_path):
    path = tmp_path / "pier.html"
    path.write_text("<html><head><title>Pier closes</title></head><body><article><h1>Pier closes</h1>"
                    "<p>The northern pier will close on Friday for repairs, the harbour master said.</p>"
                    "<p>Subscribe to continue reading.</p></article></body></html>")

    assert "The northern pier will close on Friday for repairs" in one(path).text


def test_html_main_text_is_extracted(tmp_path):
    path = tmp_path / "page.html"
    body = " ".join(["The council approved the new bridge after a long debate, the mayor said."] * 6)
    path.write_text(
        "<html><head><title>Bridge approved | City News</title>"
        '<meta property="og:site_name" content="City News"><meta name="date" content="2024-02-03"></head>'
        f"<body><nav>Home | Sports | Weather</nav><article><h1>Bridge approved</h1><p>{body}</p>"
        f"<p>{body}</p></article><footer>Copyright</footer></body></html>"
    )

    doc = one(path)
    assert "council approved the new bridge" in doc.text
    assert "Home | Sports" not in doc.text
    assert str(doc.date) == "2024-02-03"


@pytest.mark.parametrize("name, content, reason", [
    ("empty.txt", b"", "empty"),
    ("blob.txt", b"\x00\x01\x02binary\x00", "binary"),
    ("latin.txt", "caf\xe9 au lait".encode("latin-1"), "not UTF-8"),
    ("bad.json", b"{oops", "invalid JSON"),
    ("bad-date.md", b"---\ndate: 31/31/2024\n---\nText.", "unparseable date"),
    ("image.png", b"\x89PNG", "unsupported"),
])
def test_bad_files_raise_with_a_reason(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)

    with pytest.raises((BadDocument, BadDate), match=reason):
        list(parse_file(path, name))


def test_a_video_player_s_widgets_are_not_article_text(tmp_path):
    path = tmp_path / "story.json"
    path.write_text(json.dumps({"id": "s1", "title": "Student loans", "date": "2022-08-24", "body": (
        "1. How relevant is this ad to you?\n\n"
        "Video player was slow to load content Video content never loaded Ad froze or did not finish loading\n\n"
        "President Joe Biden on Wednesday announced his plan to address student loan debt.\n\n"
        "Video Ad Feedback Biden forgave $10K in student debt. Here's who qualifies 02:15 - Source: CNN\n\n"
        "Borrowers who make less than $125,000 a year will have up to $10,000 forgiven.")}))
    doc = one(path)
    assert doc.text == ("President Joe Biden on Wednesday announced his plan to address student loan debt.\n\n"
                        "Borrowers who make less than $125,000 a year will have up to $10,000 forgiven.")


def test_a_dateline_opens_the_lede_instead_of_heading_the_article(tmp_path):
    path = tmp_path / "gas.json"
    path.write_text(json.dumps({"id": "g1", "date": "2022-08-03", "body": (
        "New York CNN Business —\n\nPrices at the pump continue to sink, providing relief.\n\n"
        "Gas prices have tumbled by 86 cents since hitting a record average high of $5.02 on June 14.")}))
    doc = one(path)
    assert doc.text.startswith("New York CNN Business — Prices at the pump continue to sink")
    assert {p.heading for p in doc.paragraphs} == {""}
    assert doc.title == "New York CNN Business — Prices at the pump continue to sink, providing relief."


def test_a_headline_without_article_text_is_a_document_of_its_headline(tmp_path):
    path = tmp_path / "sprite.json"
    path.write_text(json.dumps({"id": "s2", "title": "Sprite will no longer be sold in green bottles",
                                "date": "2022-07-27", "body": "1. How relevant is this ad to you?"}))
    doc = one(path)
    assert doc.text == "Sprite will no longer be sold in green bottles" and doc.title == doc.text
    untitled = tmp_path / "nothing.json"
    untitled.write_text(json.dumps({"id": "s3", "date": "2022-07-27", "body": "1. How relevant is this ad to you?"}))
    with pytest.raises(BadDocument, match="no text"):
        list(parse_file(untitled, "s3"))
