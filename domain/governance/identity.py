"""Signing in: passwords, access and refresh tokens, API keys, and the actor they stand for.

Access tokens are short-lived signed JWTs naming the user and the sign-in session; refresh
tokens are random, one-use and rotate within the session; a refresh token presented twice
means a copy was stolen, so the whole session is revoked. API keys are random, shown once,
stored as digests, scoped to one company and a set of permissions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.core.actors import Actor, ActorKind
from domain.core.db import utcnow
from domain.core.dispatcher import PERMISSIONS
from domain.core.models import Company
from domain.core.uow import UnitOfWork
from domain.governance.errors import GovernanceError, GovernanceErrorCode, Unauthenticated
from domain.governance.models import (
    ApiKey,
    Membership,
    MembershipRole,
    RefreshToken,
    Role,
    SignInSession,
    User,
)
from domain.governance.roles import granted

ACCESS_TOKEN_LIFETIME = dt.timedelta(minutes=15)
REFRESH_TOKEN_LIFETIME = dt.timedelta(days=30)
#: API keys start with this, so a key is recognisable in a log or a leak scanner.
API_KEY_PREFIX = "erpk_"
MIN_PASSWORD_LENGTH = 10
#: Last use of an API key is written at most this often.
LAST_USE_PRECISION = dt.timedelta(minutes=1)
_ALGORITHM = "HS256"
#: Reads the actor a bearer token of another kind stands for; `Unauthenticated` otherwise.
TokenReader = Callable[[AsyncSession, str], Awaitable[Actor]]
#: Other kinds of bearer tokens by prefix, each read by its area (`token_kind`).
TOKEN_KINDS: dict[str, TokenReader] = {}
_hasher = PasswordHasher()
#: Verified against when the e-mail is unknown, so a miss costs as much as a hit.
_DUMMY_HASH = _hasher.hash("not a password of anyone's")


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise GovernanceError(
            GovernanceErrorCode.INVALID,
            f"A password has at least {MIN_PASSWORD_LENGTH} characters.",
            field=["password"],
        )
    return _hasher.hash(password)


def normalized_email(email: str) -> str:
    try:
        return validate_email(email, check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise GovernanceError(GovernanceErrorCode.INVALID, str(error), field=["email"]) from error


@dataclass(frozen=True)
class Tokens:
    """What signing in or refreshing gives: a short access token and a one-use refresh."""

    access_token: str
    refresh_token: str
    expires_at: dt.datetime
    user: User


def access_token(secret_key: str, user: User, session_id: int) -> tuple[str, dt.datetime]:
    now = utcnow()
    expires = now + ACCESS_TOKEN_LIFETIME
    claims = {"sub": str(user.id), "sid": session_id, "iat": now, "exp": expires}
    return jwt.encode(claims, secret_key, algorithm=_ALGORITHM), expires


async def _issue(uow: UnitOfWork, secret_key: str, user: User, session_id: int) -> Tokens:
    refresh = secrets.token_urlsafe(32)
    uow.session.add(
        RefreshToken(
            session_id=session_id,
            token_hash=digest(refresh),
            expires_at=utcnow() + REFRESH_TOKEN_LIFETIME,
        )
    )
    access, expires = access_token(secret_key, user, session_id)
    await uow.session.flush()
    return Tokens(access, refresh, expires, user)


async def login(uow: UnitOfWork, secret_key: str, email: str, password: str) -> Tokens:
    """Tokens for the user with this e-mail and password; one vague error otherwise."""
    user = await uow.session.scalar(select(User).where(User.email == email.strip().lower()))
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        user = None
    if user is None or not user.active:
        raise GovernanceError(
            GovernanceErrorCode.INVALID_CREDENTIALS, "Wrong e-mail or password.", field=["email"]
        )
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.last_login_at = utcnow()
    session = SignInSession(user_id=user.id)
    uow.session.add(session)
    await uow.session.flush()
    return await _issue(uow, secret_key, user, session.id)


async def refresh_tokens(uow: UnitOfWork, secret_key: str, refresh_token: str) -> Tokens:
    """New tokens for a valid refresh token, which is used up; reuse revokes the session."""
    now = utcnow()
    token = await uow.session.scalar(
        select(RefreshToken)
        .where(RefreshToken.token_hash == digest(refresh_token))
        .with_for_update()
    )
    session = await uow.session.get(SignInSession, token.session_id) if token else None
    if token is None or session is None or session.revoked_at is not None:
        raise _refused()
    if token.used_at is not None:
        # A used token again: someone holds a copy. End the session for both of them; the
        # revocation must stay even though this request is refused.
        session.revoked_at = now
        await uow.commit()
        raise _refused()
    if token.expires_at <= now:
        raise _refused()
    user = await uow.session.get(User, session.user_id)
    if user is None or not user.active:
        raise _refused()
    token.used_at = now
    return await _issue(uow, secret_key, user, session.id)


async def logout(uow: UnitOfWork, refresh_token: str) -> bool:
    """Revoke the session of `refresh_token`: its access and refresh tokens stop working."""
    token = await uow.session.scalar(
        select(RefreshToken).where(RefreshToken.token_hash == digest(refresh_token))
    )
    if token is None:
        raise _refused()
    await uow.session.execute(
        update(SignInSession)
        .where(SignInSession.id == token.session_id, SignInSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return True


def _refused() -> GovernanceError:
    return GovernanceError(
        GovernanceErrorCode.INVALID_CREDENTIALS,
        "The refresh token is not valid any more; sign in again.",
        field=["refresh_token"],
    )


def new_api_key() -> str:
    return API_KEY_PREFIX + secrets.token_urlsafe(32)


def check_permissions(names: list[str], field: str) -> list[str]:
    """`names` if every one is a declared permission; a typed error naming the first unknown."""
    for index, name in enumerate(names):
        if name not in PERMISSIONS:
            raise GovernanceError(
                GovernanceErrorCode.INVALID,
                f"There is no permission {name}.",
                field=[field, str(index)],
            )
    return sorted(set(names))


def token_kind(prefix: str) -> Callable[[TokenReader], TokenReader]:
    """Register the reader of bearer tokens starting with `prefix` (an area's own kind of
    credential, such as storefront tokens)."""

    def register(reader: TokenReader) -> TokenReader:
        TOKEN_KINDS[prefix] = reader
        return reader

    return register


async def actor_for_token(session: AsyncSession, secret_key: str, token: str) -> Actor:
    """The actor an `Authorization: Bearer` token stands for; `Unauthenticated` otherwise."""
    if token.startswith(API_KEY_PREFIX):
        return await _actor_for_api_key(session, token)
    for prefix, reader in TOKEN_KINDS.items():
        if token.startswith(prefix):
            return await reader(session, token)
    try:
        claims = jwt.decode(
            token, secret_key, algorithms=[_ALGORITHM], options={"require": ["exp", "sub", "sid"]}
        )
        user_id, session_id = int(claims["sub"]), int(claims["sid"])
    except (jwt.PyJWTError, ValueError, TypeError) as error:
        expired = isinstance(error, jwt.ExpiredSignatureError)
        raise Unauthenticated(
            "The access token has expired; refresh it." if expired else "The token is not valid."
        ) from error
    first_company = select(func.min(Company.id)).scalar_subquery()
    rows = (
        await session.execute(
            select(User, SignInSession.revoked_at, first_company, Membership.company_id, Role)
            .join(SignInSession, SignInSession.user_id == User.id)
            .outerjoin(Membership, Membership.user_id == User.id)
            .outerjoin(MembershipRole, MembershipRole.membership_id == Membership.id)
            .outerjoin(Role, Role.id == MembershipRole.role_id)
            .where(User.id == user_id, SignInSession.id == session_id)
        )
    ).all()
    if not rows or rows[0][1] is not None or not rows[0][0].active:
        raise Unauthenticated("The token is not valid any more; sign in again.")
    user, _, first, _, _ = rows[0]
    permissions: dict[int, set[str]] = defaultdict(set)
    for *_, company_id, role in rows:
        if company_id is not None:
            permissions[company_id] |= granted(role) if role is not None else frozenset()
    default = user.default_company_id
    if default is None or not (user.superuser or default in permissions):
        default = min(permissions) if permissions else (first if user.superuser else None)
    return Actor(
        ActorKind.USER,
        user.id,
        user.name,
        permissions={company_id: frozenset(names) for company_id, names in permissions.items()},
        superuser=user.superuser,
        default_company_id=default,
    )


async def _actor_for_api_key(session: AsyncSession, token: str) -> Actor:
    key = await session.scalar(select(ApiKey).where(ApiKey.key_hash == digest(token)))
    now = utcnow()
    if (
        key is None
        or key.revoked_at is not None
        or (key.expires_at is not None and key.expires_at <= now)
    ):
        raise Unauthenticated("The API key is not valid.")
    if key.last_used_at is None or now - key.last_used_at >= LAST_USE_PRECISION:
        await session.execute(update(ApiKey).where(ApiKey.id == key.id).values(last_used_at=now))
        await session.commit()
    return Actor(
        ActorKind.API_KEY,
        key.id,
        key.name,
        permissions={key.company_id: frozenset(key.permissions)},
        default_company_id=key.company_id,
    )
