"""Unit tests of the pure helpers: rendering within Discord's limits, escaping, question detection, votes."""

from __future__ import annotations

import re

import pytest

from bot import render
from bot.questions import is_question, strip_mentions
from bot.votes import UnknownAnswer, VoteStore
from bot.words import words
from index.types import Answer, CorpusSummary, Hit, Quote, SourceInfo


def quote(text: str = "The frigate left the port of Tartus on December 8.", **kw) -> Quote:
    fields = dict(doc_id="d1", title="Ships leave Syria", date="2024-12-09", source="Kyiv Post",
                  url="https://example.org/a", attribution="GUR", score=1.0, chunk_id=7)
    fields.update(kw)
    return Quote(text=text, **fields)


def sentences(n: int) -> str:
    return " ".join(f"Sentence number {i} says something about the harbour and its ships." for i in range(n))


# --------------------------------------------------------------------------- cut
def test_cut_keeps_text_that_fits():
    assert render.cut("Short. Text.", 100) == "Short. Text."


def test_cut_ends_at_a_sentence_with_an_ellipsis():
    text = sentences(50)
    out = render.cut(text, 300)
    assert len(out) <= 300
    assert out.endswith("ships. …")
    assert text.startswith(out[: -len(" …")])


def test_cut_without_a_sentence_boundary_ends_at_a_word():
    text = "word " * 100
    out = render.cut(text.strip(), 53)
    assert len(out) <= 53 and out.endswith("word …")


@pytest.mark.parametrize("limit", range(2, 120, 7))
def test_cut_never_splits_a_word_or_an_escape(limit):
    text = render.escape("Alpha **beta** gamma_delta <@123> epsilon. Zeta eta theta iota kappa lambda mu.")
    out = render.cut(text, limit)
    assert len(out) <= limit
    body = out.removesuffix("…").rstrip()
    if out != text and " " in body:
        assert text.startswith(body) and text[len(body)] == " "  # ends where a word ends
    assert not body.endswith("\\")


# --------------------------------------------------------------------------- escape
def test_escape_neutralises_mentions_and_markdown():
    out = render.escape("@everyone @here <@123> <@&456> <#789> **bold** [click](https://evil.example) # heading")
    assert "@\u200beveryone" in out and "@\u200bhere" in out
    assert "\\<@123>" in out and "\\<@&456>" in out and "\\<#789>" in out
    assert "\\*\\*bold\\*\\*" in out
    assert "\\[click\\](https://evil.example)" in out


def test_escape_leaves_urls_clickable():
    assert render.escape("see https://example.org/a_b_c now") == "see https://example.org/a_b_c now"


# --------------------------------------------------------------------------- embeds
def test_answer_embed_block_quotes_each_quote_with_its_citation():
    embed = render.answer_embed(Answer("which ships left Tartus?", "answer", [quote(), quote(title="Second", url="")]))
    first, second = embed.fields
    assert first.name == "1. Ships leave Syria"
    assert first.value.startswith("> The frigate left")
    assert "— *GUR* · 2024-12-09 · Kyiv Post · [Ships leave Syria](https://example.org/a)" in first.value
    assert second.value.endswith("· Second")  # no url: the title is not a link


def test_each_decision_has_its_own_colour_and_words():
    sure = render.answer_embed(Answer("which ships left Tartus?", "answer", [quote()]))
    unsure = render.answer_embed(Answer("who won the cup?", "unsure", [quote()], since="2024-01-01"))
    missing = render.answer_embed(Answer("who won the **cup**?", "not_found", missing=["cup", "*won*"]))
    assert len({sure.colour, unsure.colour, missing.colour}) == 3
    assert sure.description is None and sure.fields[0].value.startswith("> ")
    assert unsure.description.startswith("**Closest passages** — they may not answer this directly")
    assert "since 2024-01-01" in unsure.description
    assert unsure.fields[0].value.startswith("> ") and "— *GUR*" in unsure.fields[0].value  # attributed
    assert "Not in the corpus" in missing.description and not missing.fields
    assert "never mentions “cup”, “\\*won\\*”" in missing.description  # corpus-free, but still escaped
    assert "/search" in missing.footer.text


def test_quotes_from_outside_the_dates_asked_about_are_said_to_be_in_the_asker_s_language():
    late = Answer("which ships left Tartus last week?", "answer", [quote()], outside=("2026-11-23", "2026-12-07"))
    assert render.answer_embed(late).description == (
        "*Nothing dated 2026-11-23 to 2026-12-07, the dates asked about, answers this: the passages below are from "
        "outside them.*")
    closest = render.answer_embed(Answer("хто відплив?", "unsure", [quote()], outside=("2026-11-23", "2026-12-07")),
                                  words("uk"))
    assert closest.description.startswith("*Ніщо з датою від 2026-11-23 до 2026-12-07")
    assert render.answer_embed(Answer("which ships left Tartus?", "answer", [quote()])).description is None


def test_a_misspelled_name_is_titled_as_typed_and_said_how_it_was_read():
    answer = Answer("Which ships left Tartus?", "answer", [quote()], asked="Which ships left Tatrus?",
                    respelled=(("Tatrus", "Tartus"),))
    embed = render.answer_embed(answer)
    assert embed.title == "Which ships left Tatrus?"
    assert embed.description == "*Read “Tatrus” as “Tartus”*"
    odd = render.answer_embed(Answer("q?", "not_found", respelled=(("*Bo_b*", "@everyone"),)), words("uk"))
    assert "Прочитано «\\*Bo\\_b\\*» як «@\u200beveryone»" in odd.description  # escaped, as all corpus text is
    assert answer.to_json()["respelled"] == [{"typed": "Tatrus", "read": "Tartus"}]


def test_huge_answers_stay_within_every_discord_limit():
    long = sentences(400)
    quotes = [quote(long, title="T" * 500, attribution="A" * 3000, source="S" * 500, url="https://x.org/" + "p" * 600)
              for _ in range(40)]
    embed = render.answer_embed(Answer("Q" * 5000, "answer", quotes))
    assert len(embed) <= render.EMBED_TOTAL_LIMIT
    assert len(embed.title) <= render.TITLE_LIMIT
    assert len(embed.fields) <= render.FIELD_COUNT_LIMIT
    for f in embed.fields:
        assert len(f.name) <= render.FIELD_NAME_LIMIT and len(f.value) <= render.FIELD_VALUE_LIMIT
        assert f.value.startswith("> ")
    assert len(embed.footer.text) <= render.FOOTER_LIMIT


def test_one_long_quote_is_cut_at_a_sentence():
    embed = render.answer_embed(Answer("q?", "answer", [quote(sentences(100))]))
    [field] = embed.fields
    assert len(field.value) <= render.FIELD_VALUE_LIMIT
    assert "ships. …\n— " in field.value


def test_search_pages():
    hits = [Hit(i, "d", 1.0, f"Passage {i}.", 0, 9, f"Doc {i}", "2024-12-01", "Src", "") for i in range(7)]
    last = render.search_embed("ships", hits, page=2, per_page=3)
    assert [f.name for f in last.fields] == ["7. Doc 6"]
    assert last.footer.text == "Page 3/3 · 7 passages"
    assert render.search_embed("x", [], page=0, per_page=3).description == "No passages found."


def test_sources_embed():
    summary = CorpusSummary(3, 9, "2024-01-01", "2024-12-09", [SourceInfo("Kyiv Post", 2), SourceInfo("@everyone", 1)],
                            [("d", "Title", "2024-12-09", "Kyiv Post")], "hash", "2024-12-10T00:00:00")
    embed = render.sources_embed(summary)
    assert "**3** documents" in embed.description and "2024-01-01 to 2024-12-09" in embed.description
    assert "Kyiv Post: 2" in embed.fields[0].value and "@\u200beveryone: 1" in embed.fields[0].value


def test_thread_names_fit():
    assert len(render.thread_name("why " * 100)) <= render.THREAD_NAME_LIMIT
    assert render.error_text("x" * 5000).endswith("…") and len(render.error_text("x" * 5000)) <= 2000


# --------------------------------------------------------------------------- the answer in bold
HOSTILE = "@everyone <@123> said the **northern** pier_closes on Friday, see [x](https://evil.example/a_b)."


def marks_of(text: str, *words: str) -> tuple[tuple[int, int], ...]:
    return tuple((text.index(w), text.index(w) + len(w)) for w in words)


def test_the_answer_is_bold_and_the_quotes_markdown_and_mentions_stay_escaped():
    value = render.quote_field(render.Shown.quote(quote(HOSTILE, marks=marks_of(HOSTILE, "Friday"))))
    body = value.splitlines()[0]
    assert body == ("> @\u200beveryone \\<@123> said the \\*\\*northern\\*\\* pier\\_closes on **Friday**, "
                    "see \\[x\\](https://evil.example/a_b).")
    assert body.replace("**Friday**", "Friday") == "> " + render.escape(HOSTILE)  # the same text, only the bold added
    starred = render.quote_field(render.Shown.quote(quote(HOSTILE, marks=marks_of(HOSTILE, "northern")))).splitlines()[0]
    assert "said the \\*\\***northern**\\*\\* pier" in starred  # the quote's own stars stay escaped around the bold


@pytest.mark.parametrize("word", ["everyone", "123", "evil.example/a_b"])
def test_a_mark_that_would_break_an_escape_a_mention_or_a_link_is_left_out(word):
    value = render.quote_field(render.Shown.quote(quote(HOSTILE, marks=marks_of(HOSTILE, word))))
    assert value.splitlines()[0] == "> " + render.escape(HOSTILE)


@pytest.mark.parametrize("limit", range(20, 200, 9))
def test_a_cut_never_leaves_a_bold_open(limit):
    text = " ".join(f"On Friday {i} ships left *port* number {i}." for i in range(12))
    marks = tuple((m.start(), m.end()) for m in re.finditer(r"Friday \d+", text))
    out = render.marked(text, marks, limit)
    assert len(out) <= limit
    assert re.sub(r"\\.", "", out).count("**") % 2 == 0  # escaped stars aside, every bold is closed
    assert out.replace("**", "").removesuffix("…").rstrip() in render.escape(text)


def test_quotes_of_an_answer_are_bold_in_its_embed():
    text = "The frigate left the port of Tartus on December 8."
    embed = render.answer_embed(Answer("when did the frigate leave?", "answer",
                                       shown=[quote(text, marks=marks_of(text, "December 8"))]))
    assert "on **December 8**." in embed.fields[0].value


# --------------------------------------------------------------------------- questions
@pytest.mark.parametrize("text", ["which ships left Tartus?", "Who approved the budget", "the pier closes when?",
                                  "did Russia keep the Khmeimim base?", "<@111> which ships left Tartus?",
                                  "what did <@111> say about the pier?", "hey all, who approved the budget",
                                  "which ships left Tartus? thanks!", "does anyone know who approved the budget"])
def test_questions(text):
    assert is_question(text)


@pytest.mark.parametrize("text", ["great work on the budget story, team", "lol", "?", "thanks!", "I'll be late today",
                                  "have a nice weekend", "<:thonk:1234567890>?", "<@111> <@222>?", "<@111> thoughts?",
                                  "<@&333> <#444>?", "<t:1700000000:R>?", "🤔?",
                                  "hey all, great work on the budget story!", "thanks everyone 🙏"])
def test_chatter(text):
    assert not is_question(text)


def test_strip_mentions():
    assert strip_mentions("<@42> which ships <@!42> left?", 42) == "which ships left?"


# --------------------------------------------------------------------------- votes
def test_votes_keep_the_question_and_chunks_one_per_person(tmp_path):
    store = VoteStore(tmp_path / "sub" / "votes.sqlite")
    store.create()
    answer = store.record_answer("which ships left Tartus?", [4, 5], asked_by=1)
    store.vote(answer, 2, 1)
    store.vote(answer, 2, -1)
    store.vote(answer, 3, 1)
    assert [(v.user_id, v.vote, v.question, v.chunk_ids) for v in store.votes()] == [
        (2, -1, "which ships left Tartus?", [4, 5]),
        (3, 1, "which ships left Tartus?", [4, 5]),
    ]
    with pytest.raises(UnknownAnswer):
        store.vote(answer + 1, 2, 1)
