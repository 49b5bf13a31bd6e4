"""The Ridgeline community story (../shared/DEMO.md, seed 002's Broker relationship): four
forums (Sales talk for everyone, Service techs only, the Gold dealer lounge, Parts &
ordering) moderated by Lee, with Sam and Mia for their departments' forums; partners asking
and answering each other with Ridgeline's experts; accepted answers that link the library's
troubleshooting articles and a course; best practices; one reported post; one question
unanswered for more than a day.

Made as people make them: Lee sets the forums up, people ask and reply through the posting
actions (so counts, subscriptions, notifications and activity come from them), askers
accept answers, Lee marks best practices and locks a thread, Bob reports a post. Then only
the dates are moved into the story's past. Safe to run again: categories are found by name
and threads by title."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from touchpoint.community import actions
from touchpoint.community.models import Category, Post, PostStatus, Report, Thread, ThreadKind
from touchpoint.kernel.models import Notification
from touchpoint.orgs import actions as orgs_actions
from touchpoint.orgs.audience import Criteria
from touchpoint.orgs.models import Audience, JobRole, User
from touchpoint.portal.demo.orgs import Demo
from touchpoint.portal.demo.story import backdate
from touchpoint.search.models import Entry

Q, D = ThreadKind.QUESTION, ThreadKind.DISCUSSION

# name, description, audience name (None: everyone), moderators (staff keys)
CATEGORIES = [
    (
        "Sales talk",
        "Selling Ridgeline: pitches, promotions, financing, objections.",
        None,
        ["lee", "mia"],
    ),
    (
        "Service techs only",
        "Troubleshooting and repairs, technician to technician, with Ridgeline's service team.",
        "Service technicians",
        ["lee", "sam"],
    ),
    (
        "Gold dealer lounge",
        "For Gold dealers: program requirements, co-op and what works for you.",
        "Gold dealers",
        ["lee"],
    ),
    ("Parts & ordering", "Finding, ordering and claiming genuine parts.", None, ["lee"]),
]


@dataclass
class Reply:
    author: str
    body: str
    hours: float  # after the question
    accepted: bool = False
    best_practice: bool = False
    links: list[tuple[str, str]] = field(default_factory=list)  # ("course" or "article", title)
    reported_by: str = ""


@dataclass
class Story:
    category: str
    title: str
    kind: str
    author: str
    days_ago: float
    body: str
    replies: list[Reply] = field(default_factory=list)
    locked: bool = False


STORIES = [
    Story(
        "Service techs only",
        "X200 deck vibrates at full speed",
        Q,
        "hannah",
        3,
        "Customer's X200 (2023) shakes badly once the blades are at full speed. Belt looks fine.\n\n"
        "What should I check first? The customer picks it up **tomorrow**.",
        [
            Reply(
                "chris",
                "Had one last month: a bent blade from hitting a root. Check each blade on a flat surface.",
                1.5,
            ),
            Reply(
                "lee",
                "Hi Hannah, Chris is right to start with the blades. The full check, in order:\n\n"
                "1. Blades: bent or out of balance? Replace, never straighten.\n"
                "2. Spindles: spin by hand with the belt off; roughness means a worn bearing.\n"
                "3. Idler pulley wobble and anti-scalp rollers.\n\n"
                "Torque blade bolts to `95 Nm`. The troubleshooting article below has the details.",
                3,
                accepted=True,
                links=[("article", "X200 deck vibration: troubleshooting")],
            ),
            Reply(
                "hannah",
                "Spindle bearing on the left side. Replaced it, runs smooth. Thanks both!",
                20,
            ),
        ],
    ),
    Story(
        "Service techs only",
        "Generator G3500 starts, then stops after a few seconds",
        Q,
        "maria",
        6,
        "Generator G3500, fresh fuel, oil looks OK. Starts and dies after 3–4 seconds. Ideas?",
        [
            Reply(
                "sam",
                "Almost always the **low-oil sensor** (stand the unit level before checking) or a "
                "blocked fuel cap vent: loosen the cap and try again. If it runs with the cap loose, "
                "replace the cap.",
                2,
                accepted=True,
                links=[("article", "Generator will not start: troubleshooting")],
            ),
            Reply("maria", "It was the cap vent. ¡Gracias!", 5),
        ],
    ),
    Story(
        "Service techs only",
        "Hydraulic drift on slopes, X200 2024 model",
        Q,
        "zoe",
        1.25,
        "An X200 from this year creeps downhill on slopes with the levers in neutral. "
        "Tracking adjustment didn't help. Has anyone seen this?",
    ),
    Story(
        "Service techs only",
        "Share your best shop tip for spring rush",
        D,
        "lee",
        20,
        "Spring is coming. What is the one thing that saves your shop time when every customer "
        "wants their mower back at once? Best tips get marked as best practices.",
        [
            Reply(
                "chris",
                "We pre-book **winter service** in October with a small discount. By March half "
                "the fleet is already done, and the spring queue is only new sales and repairs.",
                4,
                best_practice=True,
            ),
            Reply(
                "marcus",
                "Keep a shelf of the 20 most used parts per model. No waiting for orders.",
                30,
            ),
        ],
        locked=True,
    ),
    Story(
        "Sales talk",
        "How do you pitch the extended warranty?",
        D,
        "bob",
        9,
        "Customers say the standard warranty is enough. What works for you when offering the "
        "X200 extended protection plan?",
        [
            Reply("derek", "I mention the transmission repair cost. People remember numbers.", 2),
            Reply(
                "carol",
                "What works at Birchwood:\n\n"
                "- Offer it when the customer has chosen the model, **before** the price is final.\n"
                "- Say it is transferable: it helps resale.\n"
                "- Hand over the printed plan summary with the quote, not after.\n\n"
                "Our attach rate went from 12% to 31% in one season.",
                5,
                best_practice=True,
            ),
            Reply(
                "mia",
                "Great list, Carol. The POS guide and the short course cover the same steps, "
                "with answers to the usual objections.",
                8,
                links=[("article", "X200 extended warranty: the point-of-sale guide")],
            ),
        ],
    ),
    Story(
        "Sales talk",
        "Does the 0% financing promotion end in June?",
        Q,
        "derek",
        4,
        "A customer wants to wait until July. Is the 0% for 24 months offer still on then?",
        [
            Reply(
                "mia",
                "It runs until **30 June**. From July the standard offer is 2.9% over 60 months. "
                "Orders placed by 30 June keep the 0% even if delivered later.",
                1,
                accepted=True,
            ),
        ],
    ),
    Story(
        "Sales talk",
        "Spring open house ideas",
        D,
        "kevin",
        12,
        "We're planning an open house in April. What drew the most people for you?",
        [
            Reply(
                "bob",
                "Test drives of the X200 on a marked course. Kids love watching it turn on the spot.",
                3,
            ),
            Reply(
                "lucia",
                "Nosotros hicimos un taller gratuito de mantenimiento: vino mucha gente.",
                26,
            ),
            Reply(
                "ian",
                "Check out my cousin's shop, way cheaper parts than Ridgeline: "
                "https://cheap-parts.example/deals",
                40,
                reported_by="bob",
            ),
            Reply("javier", "A raffle for a free first service worked well for us.", 50),
        ],
    ),
    Story(
        "Sales talk",
        "Selling the X200 to small landscapers",
        Q,
        "lucia",
        2,
        "Small landscaping companies ask about running costs and downtime. How do you answer?",
        [
            Reply(
                "mia",
                "Lead with the tool-free deck service and the 50-hour intervals: less downtime "
                "is their language. The course below has a five-minute demo routine.",
                6,
                links=[("course", "X200 zero-turn mower: selling the benefits")],
            ),
        ],
    ),
    Story(
        "Gold dealer lounge",
        "Meeting the certified technician requirement",
        D,
        "alice",
        8,
        "Gold needs two certified service techs per location. How are you scheduling the "
        "certification without emptying the workshop?",
        [
            Reply("ruth", "One tech per month, on the quiet Tuesday. Took us a quarter.", 3),
            Reply("sofie", "We did the online part in winter, the practical in March.", 20),
            Reply(
                "dana",
                "Reminder: the hands-on workshop dates for spring are open for registration, "
                "and certified headcount counts at the next tier review.",
                30,
            ),
        ],
    ),
    Story(
        "Parts & ordering",
        "Backorder on X200 deck belts?",
        Q,
        "priya",
        5,
        "Our last two orders for the X200 deck belt show as backordered. Any date?",
        [
            Reply("tom", "Same here. We used the dealer-to-dealer stock check and found two.", 2),
            Reply(
                "lee",
                "Supply is back from next week; backorders ship first. Meanwhile the parts "
                "portal shows other dealers' stock, as Tom says.",
                4,
                accepted=True,
            ),
        ],
    ),
    Story(
        "Parts & ordering",
        "Warranty parts claim rejected: what is missing?",
        Q,
        "tara",
        10,
        "My claim for a G7000 control board came back rejected without a clear reason.",
        [
            Reply(
                "sam",
                "A claim is paid first time when it has:\n\n"
                "- the serial number from the frame plate and the date of sale,\n"
                "- photos of the failed part in place and removed,\n"
                "- the labour time from the flat-rate manual.\n\n"
                "Resubmit with the photos and it will go through.",
                3,
                accepted=True,
                best_practice=True,
            ),
        ],
    ),
]


def _audiences(demo: Demo) -> dict[str, Audience]:
    """The two audiences the closed forums are for, built by Pat like the others."""
    pat = demo.staff["admin"]
    wanted = {
        "Service technicians": Criteria(job_roles=[JobRole.objects.get(code="service").pk]),
        "Gold dealers": Criteria(tiers=[demo.tiers["Gold"].pk]),
    }
    return {
        name: Audience.objects.filter(name=name).first()
        or orgs_actions.save_audience(pat, None, name=name, criteria=criteria)
        for name, criteria in wanted.items()
    }


def _last_pk(model: Any) -> int:
    return model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@contextmanager
def happened(when: datetime) -> Iterator[None]:
    """What the actions inside the block tell people (notifications) is dated `when`, the
    moment it happened in the story. (Activity events are append-only: they keep the time
    the demo was loaded.)"""
    notices = _last_pk(Notification)
    yield
    backdate(Notification.objects.filter(pk__gt=notices), created_at=when)


def _links(person: User, items: list[tuple[str, str]]) -> list[Entry]:
    """The portal items a moderator picks for an answer, as the reply form's item search
    finds them (by title); those missing (no library or course demo) are left out."""
    keys = []
    for kind, title in items:
        found = Entry.objects.filter(
            kind__in=["course"] if kind == "course" else ["article", "asset"]
        )
        entry = (
            found.filter(title=title).order_by("kind").first()
            or found.filter(title__icontains=title.split(":")[0]).order_by("kind", "pk").first()
        )
        if entry is not None:
            keys.append(f"{entry.kind}:{entry.object_id}")
    return actions.resolve_links(person, keys)


def seed(demo: Demo) -> None:
    now = timezone.now()
    lee = demo.staff["lee"]
    audiences = _audiences(demo)
    categories: dict[str, Category] = {}
    for position, (name, description, audience, moderators) in enumerate(CATEGORIES, start=1):
        categories[name] = Category.objects.filter(name=name).first() or actions.save_category(
            lee,
            Category(
                name=name, description=description, position=position,
                audience=audiences[audience] if audience else None,
            ),
            [demo.staff[key] for key in moderators],
        )  # fmt: skip
    actions.set_subscription(demo.people["bob"], category=categories["Sales talk"], on=True)

    # Everyone who posts, by demo key; staff as a new request would load them, holding the
    # moderator role of the forums Lee just listed them for.
    cast: dict[str, User] = {
        **demo.people,
        **{key: User.objects.get(pk=p.pk) for key, p in demo.staff.items()},
    }
    for story in STORIES:
        if Thread.objects.filter(title=story.title).exists():
            continue
        _tell(cast, categories[story.category], story, now)


def _published(moderator: User, post: Post, when: datetime) -> None:
    """A post held for review (FORUM_HOLD_FIRST_POSTS) is approved by the moderator."""
    if post.status == PostStatus.HELD:
        with happened(when):
            actions.approve_post(moderator, post)
        backdate(post, moderated_at=when)


def _tell(cast: dict[str, User], category: Category, story: Story, now: datetime) -> None:
    lee = cast["lee"]
    started = now - timedelta(days=story.days_ago)
    author = cast[story.author]
    with happened(started):
        thread = actions.start_thread(
            author, category, story.kind, story.title, actions.Draft(body=story.body)
        )
    backdate(thread, created_at=started, last_post_at=started)
    opening = thread.posts.get(is_opening=True)
    backdate(opening, created_at=started)
    _published(lee, opening, started + timedelta(minutes=20))
    thread = Thread.objects.get(pk=thread.pk)  # as the approval left it
    last = started
    for reply in story.replies:
        when = started + timedelta(hours=reply.hours)
        person = cast[reply.author]
        with happened(when):
            post = actions.reply(
                person, thread, actions.Draft(reply.body, _links(person, reply.links))
            )
        backdate(post, created_at=when)
        backdate(post.links.all(), created_at=when)
        _published(lee, post, when + timedelta(minutes=20))
        last = max(last, when)
        if reply.accepted:
            # The person who asked accepts the answer an hour later.
            with happened(when + timedelta(hours=1)):
                actions.accept_answer(author, post)
        if reply.best_practice:
            at = when + timedelta(hours=2)
            with happened(at):
                actions.set_best_practice(lee, post, True)
            backdate(post, best_practice_at=at)
        if reply.reported_by:
            at = when + timedelta(hours=1)
            with happened(at):
                actions.report_post(
                    cast[reply.reported_by], post, "spam", "Advertising another parts shop."
                )
            backdate(Report.objects.filter(post=post), created_at=at)
    if story.locked:
        with happened(last + timedelta(hours=1)):
            actions.set_locked(lee, thread, True)
    backdate(thread, last_post_at=last)
