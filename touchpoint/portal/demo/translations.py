"""Spanish versions in the demo: Javier Ortega (Hacienda Verde, who reads the portal in
Spanish) and Bob, when he switches to Spanish, see the warranty policy, the X200 sales
course, the portal tour, a library guide and two launcher links in Spanish; everything else
falls back to English, as a real channel's half-translated portal does. Saved through the
translation action, as the authors would on each item's Translations page."""

from __future__ import annotations

from typing import Any

from touchpoint.comms.models import Announcement, CampaignStep, StepKind
from touchpoint.contextual.models import LauncherLink
from touchpoint.courses.models import Course, Lesson
from touchpoint.kernel.actions import save_translation
from touchpoint.library.models import Asset
from touchpoint.portal.demo.comms import WARRANTY
from touchpoint.portal.demo.orgs import Demo

WARRANTY_ES = {
    "title": "Nueva política de garantía desde el 1 de julio: registre cada venta en 10 días",
    "body": (
        "<p>Desde el <strong>1 de julio</strong>, cada producto Ridgeline vendido debe "
        "registrarse en el portal en un plazo de <strong>10 días</strong> desde la venta; si no, "
        "la garantía empieza en la fecha de envío y no en la de venta.</p>"
        "<ul><li>Registre el número de serie y los datos del cliente.</li>"
        "<li>Ofrezca a la vez el plan de protección ampliada: vea la guía del punto de venta.</li></ul>"
        "<p>Confirme que ha leído esta política.</p>"
    ),
}

COURSE = "X200 zero-turn mower: selling the benefits"
COURSE_ES = {
    "title": "Cortacésped X200 de giro cero: vender sus ventajas",
    "summary": "Para quién es el X200 y cómo lucirlo en cinco minutos.",
}
LESSONS_ES = {
    "Meet the X200": (
        "Conozca el X200",
        "<p>El X200 corta con una plataforma de 54 pulgadas a hasta 8 mph, gira sobre sí mismo "
        "y se mantiene sin herramientas. Está pensado para propietarios con más de media "
        "hectárea y para pequeños jardineros profesionales.</p>",
    ),
    "X200 spec sheet": (
        "Ficha técnica del X200",
        "<p>Tenga a mano esta ficha de una página en la sala de exposición.</p>",
    ),
    "The five-minute demo": (
        "La demostración de cinco minutos",
        "<p>Empiece por el asiento, luego el giro cero y después la palanca de altura de corte. "
        "Deje conducir al cliente.</p>",
    ),
    "X200 product page": ("Página del producto X200", ""),
}

TOUR = "A two-minute tour of your portal"
TOUR_ES = "Una visita de dos minutos por su portal"
STOPS_ES = {
    "Home is your starting point": (
        "El inicio es su punto de partida",
        "Lo pendiente, las noticias para usted y dónde lo dejó, cada vez que entra.",
    ),
    "Learning": ("Formación", "Cursos y certificaciones para su puesto, con fechas límite."),
    "The library": (
        "La biblioteca",
        "Fichas técnicas, listas de precios y artículos prácticos, siempre en su última versión.",
    ),
    "News": (
        "Noticias",
        "Anuncios de Ridgeline; los urgentes siguen arriba hasta que los confirma.",
    ),
}

GUIDE = "X200 extended warranty: the point-of-sale guide"
GUIDE_ES = {
    "title": "Garantía ampliada del X200: la guía del punto de venta",
    "summary": "Cómo ofrecer el plan en caja y responder a las preguntas habituales.",
}

LAUNCHER_ES = {
    "Warranty claims": {
        "name": "Reclamaciones de garantía",
        "description": "Presente y siga sus reclamaciones de garantía",
        "sso_hint": "Inicie sesión con su cuenta de Ridgeline",
    },
    "Ridgeline ordering": {
        "name": "Pedidos Ridgeline",
        "description": "Pida máquinas completas y siga las entregas",
        "sso_hint": "Inicie sesión con su cuenta de Ridgeline",
    },
}


def _translate(author: Any, item: Any, words: dict[Any, dict[str, str]]) -> None:
    # Safe to run again: an item translated already is left as its author saved it.
    if item is not None and not item.translations.filter(language="es").exists():
        save_translation(author, item, "es", words)


def seed(demo: Demo) -> None:
    pat, mia = demo.staff["admin"], demo.staff["mia"]
    sam = demo.staff["sam"]

    warranty = Announcement.objects.filter(title=WARRANTY).first()
    _translate(sam, warranty, {warranty: WARRANTY_ES})

    course = Course.objects.filter(title=COURSE).first()
    if course is not None and course.published_version_id:
        words: dict[Any, dict[str, str]] = {course: COURSE_ES}
        for lesson in Lesson.objects.filter(version_id=course.published_version_id):
            if lesson.title in LESSONS_ES:
                title, body = LESSONS_ES[lesson.title]
                words[lesson] = {"title": title, "body": body}
        _translate(mia, course, words)

    tour = CampaignStep.objects.filter(kind=StepKind.TOUR, title=TOUR).first()
    if tour is not None:
        stops: dict[Any, dict[str, str]] = {tour: {"title": TOUR_ES}}
        for stop in tour.stops.all():
            if stop.title in STOPS_ES:
                stops[stop] = dict(zip(("title", "text"), STOPS_ES[stop.title], strict=True))
        _translate(pat, tour, stops)

    guide = Asset.objects.filter(title=GUIDE).first()
    _translate(mia, guide, {guide: GUIDE_ES})

    for link in LauncherLink.objects.filter(name__in=list(LAUNCHER_ES)):
        _translate(pat, link, {link: LAUNCHER_ES[link.name]})
