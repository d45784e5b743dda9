from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from accounts.forms import LoginForm
from accounts.middleware import SESSION_KEY
from accounts.models import Grant


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


@login_required
@require_POST
def switch_grant(request):
    """The top bar's organisation switcher: act for another of one's own grants."""
    grant = get_object_or_404(Grant, pk=request.POST.get("grant_id"), user=request.user)
    request.session[SESSION_KEY] = grant.pk
    messages.success(request, f"已切换为：{grant}")
    return redirect("core:home")
