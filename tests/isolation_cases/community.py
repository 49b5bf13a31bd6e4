"""Isolation cases for the community: a category meant for Birchwood only. Carol (Birchwood)
reads and writes in it; Pat (portal admin) moderates it; Alice (Alder Creek) gets the same
404 as for a thread, post or category that does not exist."""

from __future__ import annotations

from conftest import Personas
from tests.isolation_cases import Case
from tests.support.community import add_reply, make_category, make_thread, only_for_partner
from touchpoint.community.models import Category, Post, Thread


def birchwood_category(p: Personas) -> Category:
    return make_category("Birchwood back office", audience=only_for_partner(p.dealer_b))


def birchwood_question(p: Personas) -> Thread:
    return make_thread(p.carol, birchwood_category(p), "Which floor plan terms apply?")


def birchwood_post(p: Personas) -> Post:
    """Carol's own opening post (she may edit, see its history)."""
    return birchwood_question(p).posts.get(is_opening=True)


def birchwood_answer(p: Personas) -> Post:
    """Pat's reply to Carol's question (Carol may accept it and report it)."""
    return add_reply(p.pat, birchwood_question(p), "The 2026 terms.")


carol = lambda p: p.carol  # noqa: E731 - Birchwood's admin, for whom the category is meant
pat = lambda p: p.pat  # noqa: E731 - portal admin, who moderates every category

CASES = {
    "community:category": Case(birchwood_category, carol),
    "community:thread_new": Case(birchwood_category, carol),
    "community:category_subscribe": Case(birchwood_category, carol, "post", data={"on": "1"}),
    "community:category_edit": Case(birchwood_category, pat),
    "community:thread": Case(birchwood_question, carol),
    "community:thread_reply": Case(
        birchwood_question, carol, "post", data={"body": "Thanks, found it."}
    ),
    "community:thread_subscribe": Case(birchwood_question, carol, "post", data={"on": "0"}),
    "community:thread_lock": Case(birchwood_question, pat, "post", data={"on": "1"}),
    "community:thread_move": Case(birchwood_question, pat),
    "community:post": Case(birchwood_post, carol),
    "community:post_edit": Case(birchwood_post, carol),
    "community:post_history": Case(birchwood_post, carol),
    "community:post_report": Case(birchwood_answer, carol),
    "community:post_accept": Case(birchwood_answer, carol, "post", data={"on": "1"}),
    "community:post_best_practice": Case(birchwood_answer, pat, "post", data={"on": "1"}),
    "community:post_hide": Case(birchwood_answer, pat, "post", data={"on": "1"}),
    "community:post_approve": Case(birchwood_answer, pat, "post"),
    "community:post_dismiss": Case(birchwood_answer, pat, "post"),
}
