"""Isolation cases for the community: a category meant for Birchwood only. Carol (Birchwood)
reads and writes in it; Pat (portal admin) moderates it; Alice and Bob (Alder Creek) get the
same 404 as for a thread, post or category that does not exist. Vendor staff read every
category but change only what they moderate: Dana may read Carol's question yet not edit,
accept or moderate it, and Mia, listed as the moderator of another forum, moderates only
that one."""

from __future__ import annotations

from conftest import Personas
from tests.isolation_cases import Case
from tests.support.community import add_reply, make_category, make_thread, only_for_partner
from touchpoint.community.models import Category, Post, Thread
from touchpoint.orgs.models import User


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


def _mia_moderates_sales_corner(p: Personas) -> None:
    make_category("Sales corner", moderators=[p.mia])


def birchwood_category_with_another_moderated(p: Personas) -> Category:
    _mia_moderates_sales_corner(p)
    return birchwood_category(p)


def birchwood_question_with_another_moderated(p: Personas) -> Thread:
    _mia_moderates_sales_corner(p)
    return birchwood_question(p)


def birchwood_post_with_another_moderated(p: Personas) -> Post:
    _mia_moderates_sales_corner(p)
    return birchwood_post(p)


def birchwood_answer_with_another_moderated(p: Personas) -> Post:
    _mia_moderates_sales_corner(p)
    return birchwood_answer(p)


carol = lambda p: p.carol  # noqa: E731 - Birchwood's admin, for whom the category is meant
pat = lambda p: p.pat  # noqa: E731 - portal admin, who moderates every category


def alder_creek(p: Personas) -> list[User]:
    """Another partner's people: its admin and a sales rep."""
    return [p.alice, p.bob]


def readers_only(p: Personas) -> list[User]:
    """Alder Creek's people, and Dana, who reads every category but did not write this."""
    return [p.alice, p.bob, p.dana]


def not_moderators(p: Personas) -> list[User]:
    """Alder Creek's people, Carol (who asked, but does not moderate) and staff who moderate
    nothing."""
    return [p.alice, p.bob, p.carol, p.dana]


def moderator_elsewhere(p: Personas) -> list[User]:
    """Mia moderates "Sales corner", not this forum."""
    return [p.mia]


def not_category_managers(p: Personas) -> list[User]:
    """Setting forums up is for portal admins and community moderators, not for a forum's
    own moderator (Mia) nor anyone else."""
    return [p.alice, p.bob, p.carol, p.dana, p.mia]


def moderation(method: str, data: dict[str, str] | None = None) -> list[Case]:
    return [
        Case(birchwood_answer, pat, method, data=data, outsiders=not_moderators),
        Case(
            birchwood_answer_with_another_moderated, pat, method, data=data,
            outsiders=moderator_elsewhere,
        ),
    ]  # fmt: skip


def thread_moderation(method: str, data: dict[str, str] | None = None) -> list[Case]:
    return [
        Case(birchwood_question, pat, method, data=data, outsiders=not_moderators),
        Case(
            birchwood_question_with_another_moderated, pat, method, data=data,
            outsiders=moderator_elsewhere,
        ),
    ]  # fmt: skip


CASES = {
    "community:category": Case(birchwood_category, carol, outsiders=alder_creek),
    "community:thread_new": Case(birchwood_category, carol, outsiders=alder_creek),
    "community:category_subscribe": Case(
        birchwood_category, carol, "post", data={"on": "1"}, outsiders=alder_creek
    ),
    "community:category_edit": Case(
        birchwood_category_with_another_moderated, pat, outsiders=not_category_managers
    ),
    "community:thread": Case(birchwood_question, carol, outsiders=alder_creek),
    "community:thread_reply": Case(
        birchwood_question,
        carol,
        "post",
        data={"body": "Thanks, found it."},
        outsiders=alder_creek,
    ),
    "community:thread_subscribe": Case(
        birchwood_question, carol, "post", data={"on": "0"}, outsiders=alder_creek
    ),
    "community:thread_lock": thread_moderation("post", {"on": "1"}),
    "community:thread_move": thread_moderation("get"),
    "community:post": Case(birchwood_post, carol, outsiders=alder_creek),
    "community:post_edit": [
        Case(birchwood_post, carol, outsiders=readers_only),
        Case(birchwood_post_with_another_moderated, carol, outsiders=moderator_elsewhere),
    ],
    "community:post_history": [
        Case(birchwood_post, carol, outsiders=readers_only),
        Case(birchwood_post_with_another_moderated, carol, outsiders=moderator_elsewhere),
    ],
    "community:post_report": Case(birchwood_answer, carol, outsiders=alder_creek),
    "community:post_accept": [
        Case(birchwood_answer, carol, "post", data={"on": "1"}, outsiders=readers_only),
        Case(
            birchwood_answer_with_another_moderated,
            carol,
            "post",
            data={"on": "1"},
            outsiders=moderator_elsewhere,
        ),
    ],
    "community:post_best_practice": moderation("post", {"on": "1"}),
    "community:post_hide": moderation("post", {"on": "1"}),
    "community:post_approve": moderation("post"),
    "community:post_dismiss": moderation("post"),
}
