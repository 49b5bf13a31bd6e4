"""The Ridgeline community story (../shared/DEMO.md, seed 002's Broker relationship): four
forums (Sales talk for everyone, Service techs only, the Gold dealer lounge, Parts &
ordering) moderated by Lee; partners asking and answering each other with Ridgeline's
experts; accepted answers that link the library's troubleshooting articles and a course;
best practices; one reported post; one question unanswered for more than a day.
Safe to run again: categories are found by name and threads by title."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.utils import timezone

from touchpoint.community import formatting
from touchpoint.community.models import (
    Category,
    Post,
    PostLink,
    PostStatus,
    Report,
    Subscription,
    Thread,
    ThreadKind,
)
from touchpoint.orgs.models import Audience, JobRole
from touchpoint.portal.demo.orgs import Demo

Q, D = ThreadKind.QUESTION, ThreadKind.DISCUSSION

# name, description, audience name (None: everyone), moderators (staff keys)
CATEGORIES = [
    ("Sales talk", "Selling Ridgeline: pitches, promotions, financing, objections.", None, ["lee"]),
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
    links: list[tuple[str, str]] = field(default_factory=list)  # (kind, title) to look up
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
    techs, created = Audience.objects.get_or_create(name="Service technicians")
    if created:
        techs.job_roles.add(JobRole.objects.get(code="service"))
    gold, created = Audience.objects.get_or_create(name="Gold dealers")
    if created:
        gold.tiers.add(demo.tiers["Gold"])
    return {"Service technicians": techs, "Gold dealers": gold}


def _item(kind: str, title: str) -> tuple[str, str, str] | None:
    """A portal item by title: (object id, title, address), or None when absent."""
    if kind == "course":
        from touchpoint.courses.models import Course

        course = Course.objects.filter(title=title).first()
        return (str(course.pk), course.title, course.get_absolute_url()) if course else None
    from touchpoint.library.models import Asset

    asset = (
        Asset.objects.filter(title=title).first()
        or Asset.objects.filter(title__icontains=title.split(":")[0]).first()
    )
    return (str(asset.pk), asset.title, asset.get_absolute_url()) if asset else None


def _person(demo: Demo, key: str) -> Any:
    return demo.people.get(key) or demo.staff[key]


def seed(demo: Demo) -> None:
    now = timezone.now()
    audiences = _audiences(demo)
    categories: dict[str, Category] = {}
    for position, (name, description, audience, moderators) in enumerate(CATEGORIES, start=1):
        category, _created = Category.objects.get_or_create(
            name=name,
            defaults={
                "description": description,
                "audience": audiences[audience] if audience else None,
                "position": position,
            },
        )
        category.moderators.add(*(demo.staff[key] for key in moderators))
        categories[name] = category
    Subscription.objects.get_or_create(user=demo.people["bob"], category=categories["Sales talk"])

    for story in STORIES:
        if Thread.objects.filter(title=story.title).exists():
            continue
        _tell(demo, categories[story.category], story, now)


def _tell(demo: Demo, category: Category, story: Story, now: Any) -> None:
    started = now - timedelta(days=story.days_ago)
    author = _person(demo, story.author)
    thread = Thread.objects.create(
        category=category, kind=story.kind, title=story.title, author=author,
        created_at=started, last_post_at=started, is_locked=story.locked,
    )  # fmt: skip
    Post.objects.create(
        thread=thread, author=author, is_opening=True, body=story.body,
        body_html=formatting.render(story.body), created_at=started,
    )  # fmt: skip
    Subscription.objects.get_or_create(user=author, thread=thread)
    last = started
    for reply in story.replies:
        when = started + timedelta(hours=reply.hours)
        person = _person(demo, reply.author)
        post = Post.objects.create(
            thread=thread, author=person, body=reply.body, body_html=formatting.render(reply.body),
            created_at=when, status=PostStatus.PUBLISHED,
        )  # fmt: skip
        Subscription.objects.get_or_create(user=person, thread=thread)
        last = max(last, when)
        if reply.accepted:
            thread.accepted_post = post
        if reply.best_practice:
            post.is_best_practice = True
            post.best_practice_at = when + timedelta(hours=2)
            post.best_practice_by = demo.staff["lee"]
            post.save(update_fields=["is_best_practice", "best_practice_at", "best_practice_by"])
        for kind, title in reply.links:
            found = _item(kind, title)
            if found is None:
                continue  # the library or course demo did not run: the answer still reads well
            object_id, item_title, url = found
            if kind == "article":
                from touchpoint.library.models import Asset

                kind = Asset.objects.get(pk=object_id).kind  # "article" or a file/link asset
                kind = "article" if kind == "article" else "asset"
            PostLink.objects.get_or_create(
                post=post, kind=kind, object_id=object_id,
                defaults={"title": item_title, "url": url, "created_by": person, "created_at": when},
            )  # fmt: skip
        if reply.reported_by:
            Report.objects.get_or_create(
                post=post, reporter=demo.people[reply.reported_by], resolved_at=None,
                defaults={"reason": "spam", "note": "Advertising another parts shop.",
                          "created_at": when + timedelta(hours=1)},
            )  # fmt: skip
    thread.reply_count = len(story.replies)
    thread.last_post_at = last
    thread.save(update_fields=["accepted_post", "reply_count", "last_post_at"])
