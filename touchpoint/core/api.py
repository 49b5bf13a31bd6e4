"""API endpoints owned by core: who am I."""

from django.http import HttpRequest
from ninja import Router

from touchpoint.core.apiauth import api_user
from touchpoint.orgs.schemas import UserOut

router = Router(tags=["me"])


@router.get("/me", response=UserOut, summary="The person the token or session acts as")
def me(request: HttpRequest) -> UserOut:
    return UserOut.of(api_user(request))
