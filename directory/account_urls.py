"""Login, logout, password change and reset: Django's own views with our templates."""

from django.contrib.auth import views as auth_views
from django.urls import path

from directory import join_views
from directory.accounts import LoginForm, ThrottledPasswordChangeView

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Joining: no account exists before the e-mailed link is opened (directory/signup.py).
    path("signup/", join_views.signup, name="signup"),
    path("signup/sent/", join_views.signup_sent, name="signup_sent"),
    path("signup/<str:token>/", join_views.signup_finish, name="signup_finish"),
    path("email/<str:token>/", join_views.email_confirm, name="email_confirm"),
    path("password/change/", ThrottledPasswordChangeView.as_view(), name="password_change"),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
