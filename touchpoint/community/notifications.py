"""Notification kinds for the community: replies, mentions and accepted answers for everyone;
reports, held posts and unanswered questions for moderators."""

from django.utils.translation import gettext_lazy as _

from touchpoint.kernel.models import Channel
from touchpoint.kernel.notifications import Kind, register_kind

FORUM = register_kind(
    Kind(
        "forum",
        _("Forum replies"),
        _(
            "Replies in threads you follow, new threads in categories you follow, "
            "mentions of you and answers accepted."
        ),
        default=Channel.IN_APP,
    )
)
MODERATION = register_kind(
    Kind(
        "forum_moderation",
        _("Forum moderation"),
        _("Reported posts, posts held for review and unanswered questions in your categories."),
        staff_only=True,
    )
)
