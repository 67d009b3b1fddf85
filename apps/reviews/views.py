"""Review pages: the hotel page's reviews (a panel), writing and editing one's review, and the staff's reviews page.

The panels fill slots of lower apps' pages (apps.core.panels) from ReviewsConfig.ready():
the hotel page ("hotels.detail"), My bookings ("bookings.list") and the booking page
("bookings.detail"); those apps never import this one.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from apps.accounts.permissions import user_has_perm
from apps.accounts.requests import signed_in_user
from apps.bookings.models import Booking
from apps.bookings.selectors import booking_get_for_user
from apps.core.errors import ApplicationError, PermissionDenied
from apps.core.forms import is_htmx, page_or_partial, redirect_after_form, show_error_on_form, submit_form
from apps.core.panels import Panel
from apps.hotels.models import Hotel
from apps.hotels.selectors import hotel_get_cached
from apps.reviews import selectors, services
from apps.reviews.forms import HideForm, ResponseForm, ReviewForm, StaffReviewFilters
from apps.reviews.fragments import hotel_reviews_section
from apps.reviews.models import CATEGORIES, CATEGORY_LABELS, Review

PAGE_SIZE = 5
STAFF_PAGE_SIZE = 50


# --- The hotel page's reviews ----------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryBar:
    label: str
    value: Any


def _page(hotel: Hotel, page: int) -> tuple[list[Review], int | None]:
    """One page of the public list in one query (a row more than shown says whether another page follows)."""
    start = (page - 1) * PAGE_SIZE
    rows = list(selectors.hotel_reviews_public(hotel=hotel)[start : start + PAGE_SIZE + 1])
    return rows[:PAGE_SIZE], page + 1 if len(rows) > PAGE_SIZE else None


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 10_000 else 1


def hotel_reviews_panel(*, request: HttpRequest, hotel: Hotel, **_: Any) -> Panel:
    """The summary (from the hotel's own figures) and the latest reviews with their responses.

    Rendered once per version of the hotel's reviews and kept in this process
    (apps.reviews.fragments): the page then reads no review and renders none.
    A hotel without published reviews needs no query at all.
    """

    def render() -> str:
        reviews, next_page = _page(hotel, 1) if hotel.review_count else ([], None)
        bars = [
            CategoryBar(str(CATEGORY_LABELS[name]), value)
            for name, value in hotel.category_ratings.items()
            if value is not None
        ]
        context = {"hotel": hotel, "reviews": reviews, "next_page": next_page, "bars": bars}
        return render_to_string("reviews/_hotel_reviews.html", {"panel": context})

    return Panel("reviews/_rendered.html", {"html": hotel_reviews_section(hotel, render)}, order=50)


@require_safe
def hotel_reviews(request: HttpRequest, slug: str) -> HttpResponse:
    """More of the hotel's reviews: the next page swapped in by htmx, or a page of its own without JavaScript."""
    hotel = hotel_get_cached(slug=slug)
    page = _page_number(request)
    reviews, next_page = _page(hotel, page)
    context = {"hotel": hotel, "reviews": reviews, "next_page": next_page, "page": page}
    return page_or_partial(request, "reviews/hotel_reviews.html", "page", context)


# --- My bookings and the booking page -----------------------------------------------------------


def stay_review_rows(*, rows: list[Booking], request: HttpRequest, **_: Any) -> Mapping[Hashable, Panel]:
    """For My bookings: "Review your stay" on each eligible stay, or the review written (one query)."""
    found = selectors.stay_reviews(user=request.user, bookings=rows)
    return {pk: Panel("reviews/_stay_review.html", {"stay": stay}, order=50) for pk, stay in found.items()}


def stay_review_panel(*, request: HttpRequest, booking: Booking, **_: Any) -> Panel | None:
    found = selectors.stay_reviews(user=request.user, bookings=[booking]).get(booking.pk)
    if found is None:
        return None
    return Panel("reviews/_stay_review.html", {"stay": found, "detail": True}, order=50)


# --- Writing, editing, deleting one's review ----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def review_write(request: HttpRequest, reference: str) -> HttpResponse:
    booking = booking_get_for_user(user=request.user, reference=reference)
    existing = Review.objects.filter(booking=booking, author=signed_in_user(request)).first()
    if existing is not None:
        return redirect("reviews:edit", review_id=existing.pk)
    refusal = selectors.review_refusal(booking=booking, user=request.user)
    if refusal:
        return render(request, "errors/403.html", {"message": refusal}, status=403)
    form = ReviewForm(request.POST or None)
    done, status = submit_form(
        request,
        form,
        lambda data: services.review_create(author=signed_in_user(request), booking=booking, **form.service_fields()),
    )
    if done:
        messages.success(
            request, _("Thank you! Your review of %(hotel)s is published.") % {"hotel": booking.hotel.name}
        )
        return redirect_after_form(request, reverse("hotels:detail", args=[booking.hotel.slug]) + "#reviews")
    context = {"booking": booking, "form": form, "review": None}
    return page_or_partial(request, "reviews/write.html", "form", context, status)


def _own_review(request: HttpRequest, review_id: int) -> Review:
    review = selectors.review_get_for_user(user=request.user, review_id=review_id)
    if review.author_id != request.user.pk:
        raise PermissionDenied(_("Only the guest who wrote this review can change it."))
    return review


@login_required
@require_http_methods(["GET", "POST"])
def review_edit(request: HttpRequest, review_id: int) -> HttpResponse:
    try:
        review = _own_review(request, review_id)
    except PermissionDenied as error:
        return render(request, "errors/403.html", {"message": error.message}, status=403)
    initial = {"rating": review.rating, "title": review.title, "text": review.text, **review.ratings}
    form = ReviewForm(request.POST or None, initial=initial)
    done, status = submit_form(
        request,
        form,
        lambda data: services.review_update(review=review, author=signed_in_user(request), **form.service_fields()),
    )
    if done:
        messages.success(request, _("Your review is saved."))
        return redirect_after_form(request, reverse("reviews:edit", args=[review.pk]))
    context = {"booking": review.booking, "form": form, "review": review}
    return page_or_partial(request, "reviews/write.html", "form", context, status)


@login_required
@require_POST
def review_delete(request: HttpRequest, review_id: int) -> HttpResponse:
    try:
        review = _own_review(request, review_id)
        services.review_delete(review=review, author=signed_in_user(request))
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("reviews:edit", review_id=review_id)
    messages.success(request, _("Your review is deleted."))
    return redirect_after_form(request, reverse("bookings:list"))


# --- Staff: the reviews of their hotels ------------------------------------------------------------------


@dataclass(frozen=True)
class StaffItem:
    review: Review
    can_respond: bool
    can_moderate: bool
    response_form: ResponseForm
    hide_form: HideForm
    error: str = ""

    @property
    def ratings(self) -> list[tuple[str, int]]:
        """The category ratings given, each with its name in the reader's language."""
        return [(str(CATEGORY_LABELS[name]), value) for name, value in self.review.ratings.items() if value]


def _item(request: HttpRequest, review: Review, **forms_and_error: Any) -> StaffItem:
    return StaffItem(
        review=review,
        can_respond=user_has_perm(request.user, selectors.RESPOND, review.hotel),
        can_moderate=user_has_perm(request.user, selectors.MODERATE, review.hotel),
        response_form=forms_and_error.pop("response_form", None)
        or ResponseForm(initial={"text": review.response_text}, prefix=f"r{review.pk}"),
        hide_form=forms_and_error.pop("hide_form", None) or HideForm(prefix=f"h{review.pk}"),
        **forms_and_error,
    )


def _require_staff(request: HttpRequest) -> HttpResponse | None:
    if selectors.staff_review_hotel_ids(user=request.user) == set():
        return render(
            request, "errors/403.html", {"message": _("Only the hotel's managers work with its reviews.")}, status=403
        )
    return None


@login_required
@require_safe
def staff_reviews(request: HttpRequest) -> HttpResponse:
    """The reviews of the user's hotels, newest first: filter the unanswered, respond inline, hide or publish."""
    refused = _require_staff(request)
    if refused:
        return refused
    filters = StaffReviewFilters(request.GET or None)
    wanted = filters.cleaned_data if filters.is_valid() else {}
    reviews = selectors.review_list_for_user(
        user=request.user,
        staff_only=True,
        hotel=wanted.get("hotel") or None,
        status=wanted.get("status") or None,
        unanswered=True if wanted.get("unanswered") else None,
    )[:STAFF_PAGE_SIZE]
    hotel_ids = selectors.staff_review_hotel_ids(user=request.user)
    hotels = Hotel.objects.order_by("name") if hotel_ids is None else Hotel.objects.filter(pk__in=hotel_ids)
    context = {
        "items": [_item(request, review) for review in reviews],
        "filters": filters,
        "hotels": list(hotels.order_by("name")),
        "categories": CATEGORIES,
    }
    return page_or_partial(request, "reviews/staff.html", "list", context)


def _staff_action(request: HttpRequest, review_id: int, act: Any, *, form_name: str) -> HttpResponse:
    review = selectors.review_get_for_user(user=request.user, review_id=review_id)
    prefix = {"response_form": f"r{review.pk}", "hide_form": f"h{review.pk}"}[form_name] if form_name else None
    form: Any = None
    if form_name == "response_form":
        form = ResponseForm(request.POST, prefix=prefix)
    elif form_name == "hide_form":
        form = HideForm(request.POST, prefix=prefix)
    status, error = 200, ""
    if form is not None and not form.is_valid():
        status = 400
    else:
        try:
            act(review, form.cleaned_data if form is not None else {})
        except ApplicationError as failure:
            status, error = failure.status, failure.message
            if form is not None:
                show_error_on_form(form, failure)
    fresh = selectors.review_get_for_user(user=request.user, review_id=review_id)
    if not is_htmx(request):
        if error or status >= 400:
            messages.error(request, error or _("Please check the form."))
        else:
            messages.success(request, _("Saved."))
        return redirect("reviews:staff")
    extra = {form_name: form} if form is not None and status >= 400 else {}
    return render(
        request, "reviews/staff.html#item", {"item": _item(request, fresh, error=error, **extra)}, status=status
    )


@login_required
@require_POST
def staff_review_respond(request: HttpRequest, review_id: int) -> HttpResponse:
    return _staff_action(
        request,
        review_id,
        lambda review, data: services.review_respond(
            review=review, responder=signed_in_user(request), text=data["text"]
        ),
        form_name="response_form",
    )


@login_required
@require_POST
def staff_review_hide(request: HttpRequest, review_id: int) -> HttpResponse:
    return _staff_action(
        request,
        review_id,
        lambda review, data: services.review_hide(
            review=review, moderator=signed_in_user(request), reason=data["reason"]
        ),
        form_name="hide_form",
    )


@login_required
@require_POST
def staff_review_publish(request: HttpRequest, review_id: int) -> HttpResponse:
    return _staff_action(
        request,
        review_id,
        lambda review, data: services.review_publish(review=review, moderator=signed_in_user(request)),
        form_name="",
    )
