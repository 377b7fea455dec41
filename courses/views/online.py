"""Free online courses: anyone can watch and read; progress and certificates need an account."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import citizen, public
from core.pdf import render_template_pdf
from courses import queries, services
from courses.access import access_certificate_by_code, access_course, access_lesson
from courses.forms import CertificateLookupForm, CertificateNameForm
from courses.models import Certificate, Lesson, OnlineCourse

MEDIA_SUFFIXES = (".mp4", ".webm", ".m4v", ".ogv")


def login_url(next_path: str) -> str:
    return f"{settings.LOGIN_URL}?{urlencode({'next': next_path})}"


def video_kind(url: str | None) -> str:
    """"file": our own media file → <video controls>; "link": elsewhere → a plain link;
    "": no video yet. External players are links only (no embeds: CSP, no autoplay)."""
    if not url:
        return ""
    if url.startswith("/") and url.lower().endswith(MEDIA_SUFFIXES):
        return "file"
    return "link"


@public
def course_list(request: HttpRequest) -> HttpResponse:
    courses = list(queries.courses_with_counts())
    done = queries.done_by_course(request.user)
    rows = [{"course": c, "progress": queries.Progress(done.get(c.pk, 0), c.lesson_total)} for c in courses]  # type: ignore[attr-defined]
    return render(request, "courses/list.html", {"rows": rows})


@public
def course_detail(request: HttpRequest, slug: str) -> HttpResponse:
    course = access_course(slug)
    lessons = list(Lesson.objects.filter(course=course).order_by("order"))
    done = queries.completed_orders(request.user, course)
    progress = queries.Progress(len(done), len(lessons))
    return render(
        request,
        "courses/detail.html",
        {
            "course": course,
            "lessons": [{"lesson": lesson, "done": lesson.order in done} for lesson in lessons],
            "progress": progress,
            "total_minutes": sum(lesson.minutes for lesson in lessons),
            "certificate": queries.certificate_for(request.user, course),
            "login_url": login_url(request.path),
        },
    )


@public
def lesson_detail(request: HttpRequest, slug: str, order: int) -> HttpResponse:
    course = access_course(slug)
    lesson = access_lesson(course, order)
    orders = list(Lesson.objects.filter(course=course).order_by("order").values_list("order", flat=True))
    position = orders.index(lesson.order)
    done = queries.completed_orders(request.user, course)
    return render(
        request,
        "courses/lesson.html",
        {
            "course": course,
            "lesson": lesson,
            "video_kind": video_kind(lesson.video_url),
            "previous_order": orders[position - 1] if position > 0 else None,
            "next_order": orders[position + 1] if position + 1 < len(orders) else None,
            "is_done": lesson.order in done,
            "progress": queries.Progress(len(done), len(orders)),
            "login_url": login_url(request.path),
        },
    )


@citizen
def complete_lesson(request: HttpRequest, slug: str, order: int) -> HttpResponse:
    """POST "이 강의 완료". A GET (e.g. after logging in) just goes back to the lesson."""
    course = access_course(slug)
    lesson = access_lesson(course, order)
    if request.method != "POST":
        return redirect("courses:lesson", slug=course.slug, order=lesson.order)
    _progress, certificate = services.complete_lesson(request.user, lesson)  # type: ignore[arg-type]
    if certificate is not None:
        messages.success(request, _("모든 강의를 마쳤습니다. 수료증을 내려받을 수 있습니다."))
        return redirect("courses:certificate", slug=course.slug)
    next_lesson = Lesson.objects.filter(course=course, order__gt=lesson.order).order_by("order").first()
    progress = queries.progress(request.user, course)
    messages.success(
        request,
        _("'%(title)s' 강의를 완료했습니다. (%(done)d/%(total)d 강의 완료)")
        % {"title": lesson.title_ko, "done": progress.done, "total": progress.total},
    )
    if next_lesson is not None and next_lesson.order not in queries.completed_orders(request.user, course):
        return redirect("courses:lesson", slug=course.slug, order=next_lesson.order)
    return redirect("courses:detail", slug=course.slug)


def _own_certificate(request: HttpRequest, course: OnlineCourse) -> Certificate | None:
    user: User = request.user  # type: ignore[assignment]
    try:
        return services.issue_certificate(user, course)
    except services.CourseNotComplete:
        return None


@citizen
def certificate_page(request: HttpRequest, slug: str) -> HttpResponse:
    course = access_course(slug)
    certificate = _own_certificate(request, course)
    if certificate is None:
        progress = queries.progress(request.user, course)
        messages.info(
            request,
            _("모든 강의를 완료하면 수료증을 받을 수 있습니다. 지금 %(done)d/%(total)d 강의를 완료했습니다.")
            % {"done": progress.done, "total": progress.total},
        )
        return redirect("courses:detail", slug=course.slug)
    return render(
        request,
        "courses/certificate.html",
        {"course": course, "certificate": certificate, "form": CertificateNameForm(), "verify_url": verify_url(certificate)},
    )


def verify_url(certificate: Certificate) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("courses:certificate-verify", args=[certificate.display_code])


@citizen
def certificate_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """GET: the certificate with the account e-mail. POST: with the name typed on the
    certificate page (used for this file only, never stored). Only the owner: the
    certificate is always the requesting person's own."""
    course = access_course(slug)
    certificate = _own_certificate(request, course)
    if certificate is None:
        raise Http404
    holder = request.user.email  # type: ignore[union-attr]
    if request.method == "POST":
        form = CertificateNameForm(request.POST)
        if not form.is_valid():
            return render(
                request,
                "courses/certificate.html",
                {"course": course, "certificate": certificate, "form": form, "verify_url": verify_url(certificate)},
                status=400,
            )
        holder = form.cleaned_data["name"] or holder
    lesson_stats = Lesson.objects.filter(course=course).values_list("minutes", flat=True)
    context: dict[str, Any] = {
        "course": course,
        "certificate": certificate,
        "holder": holder,
        "issued_on": timezone.localdate(certificate.issued_at),
        "lesson_count": len(lesson_stats),
        "total_minutes": sum(lesson_stats),
        "verify_url": verify_url(certificate),
    }
    pdf = render_template_pdf("courses/pdf/certificate.html", context, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{course.slug}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@public
def certificate_lookup(request: HttpRequest) -> HttpResponse:
    form = CertificateLookupForm(request.GET or None)
    if request.GET and form.is_valid():
        code = form.cleaned_data["code"]
        return redirect("courses:certificate-verify", code=code)
    return render(request, "courses/certificate_lookup.html", {"form": form}, status=400 if form.errors else 200)


@public
def certificate_verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: shows the course and the issue date, never who holds the certificate."""
    certificate = access_certificate_by_code(services.normalise_code(code))
    return render(request, "courses/certificate_verify.html", {"certificate": certificate, "course": certificate.course})

