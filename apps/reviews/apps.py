from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "apps.reviews"
    label = "reviews"
    verbose_name = "Reviews"

    def ready(self) -> None:
        from apps.audit import registry
        from apps.core import panels
        from apps.reviews import views
        from apps.reviews.models import Review, ReviewInvite
        from apps.reviews.notifications import register_kinds

        registry.register(Review)
        registry.register(ReviewInvite)
        register_kinds()
        # The lower apps' pages name these slots; they never import reviews.
        panels.fill("hotels.detail", views.hotel_reviews_panel, order=50)
        panels.fill("bookings.detail.sections", views.stay_review_panel, order=50)
        panels.fill_rows("bookings.list", views.stay_review_rows, order=50)
