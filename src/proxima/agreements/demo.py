"""The demo region's registry: agreements in every state a coordinator meets (in force with
its indicators, due for review, expired, a draft) and joint training sessions. Fictional
organizations of the demo directory; dates relative to today."""

import hashlib
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from proxima.agreements.models import (
    Agreement,
    AgreementStatus,
    DocumentKind,
    Indicator,
    IndicatorKind,
    Meeting,
    Party,
    StatusChange,
    TrainingSession,
)
from proxima.core.models import Region
from proxima.directory.models import Organization
from proxima.teams.models import Team
from proxima.territories.models import Territory

DEMO_TAG = "(démo)"


def _organization(*words: str):
    for word in words:
        found = (
            Organization.objects.filter(is_demo=True, name__icontains=word).order_by("name").first()
        )
        if found is not None:
            return found
    return Organization.objects.filter(is_demo=True).order_by("name").first()


@transaction.atomic
def demo_pdf(lines: list[str]) -> bytes:
    """A one-page PDF holding a few lines of text (Helvetica, Windows-1252): the demo's
    signed text, written here rather than shipped as a file."""

    def escaped(text: str) -> bytes:
        raw = text.encode("cp1252", "replace")
        return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")

    stream = (
        b"BT /F1 13 Tf 72 720 Td 18 TL "
        + b" ".join(b"(" + escaped(line) + b") Tj T*" for line in lines)
        + b" ET"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    table = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        table,
    )
    return bytes(out)


def load_demo_agreements(partner_organization_id: str | None, region_code: str = "03") -> int:
    """Replaces the demo region's demo agreements; how many there are."""
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        return 0
    old = Agreement.objects.filter(region=region, title_fr__endswith=DEMO_TAG)
    TrainingSession.objects.filter(region=region, topic__endswith=DEMO_TAG).delete()
    old.delete()
    today = timezone.localdate()
    teams = {t.code: t for t in Team.objects.filter(region=region)}
    food = Organization.objects.filter(pk=partner_organization_id).first() or _organization(
        "alimentaire", "food"
    )
    crisis = _organization("crise", "suicide", "écoute")
    housing = _organization("logement", "hébergement", "housing")
    youth = _organization("jeunes", "famille", "youth")

    def agreement(title_fr, title_en, kind, status, parties, **fields):
        made = Agreement.objects.create(
            region=region,
            title_fr=f"{title_fr} {DEMO_TAG}",
            title_en=f"{title_en} (demo)",
            kind=kind,
            status=status,
            **fields,
        )
        StatusChange.objects.create(agreement=made, from_status="", to_status="draft")
        if status != AgreementStatus.DRAFT:
            StatusChange.objects.create(agreement=made, from_status="draft", to_status="active")
        if status not in (AgreementStatus.DRAFT, AgreementStatus.ACTIVE):
            StatusChange.objects.create(agreement=made, from_status="active", to_status=status)
        for party, role, commitments in parties:
            Party.objects.create(
                agreement=made,
                organization=party if isinstance(party, Organization) else None,
                team=party if isinstance(party, Team) else None,
                role=role,
                commitments=commitments,
            )
        return made

    corridor = agreement(
        "Corridor de référence 811 – dépannage alimentaire",
        "811 – emergency food referral corridor",
        "referral_corridor",
        AgreementStatus.ACTIVE,
        [
            (None, "établissement signataire", "Suivi de l’entente et bilan annuel."),
            (teams.get("info_social"), "référent", "Référer avec consentement, dans les 24 h."),
            (food, "service receveur", "Répondre aux références en 72 h, jours ouvrables."),
        ],
        purpose="Un accès rapide au dépannage alimentaire pour les personnes orientées par le 811.",
        need_domains=["food"],
        how_to_refer="Référence Proxima au comptoir ; en urgence, téléphoner avant 15 h.",
        access_hours="Lundi au vendredi, 9 h à 16 h",
        access_contact="418 555-0142",
        direct_transfer=False,
        signed_on=today - timedelta(days=400),
        starts_on=today - timedelta(days=390),
        review_on=today + timedelta(days=200),
        ends_on=today + timedelta(days=700),
    )
    # The region's local networks (RLS), where the demo's outlines have them.
    corridor.territories.set(Territory.objects.filter(level="local_network", parent__region=region))
    for kind, target in (
        (IndicatorKind.REFERRALS_SENT, None),
        (IndicatorKind.ACCEPTANCE_RATE, 80),
        (IndicatorKind.MEDIAN_RESPONSE_HOURS, 72),
    ):
        Indicator.objects.create(agreement=corridor, kind=kind, target=target)
    Indicator.objects.create(
        agreement=corridor,
        kind=IndicatorKind.OTHER,
        label="Paniers remis aux personnes référées",
        target=150,
        reported_value=112,
    )
    signed = demo_pdf(
        [
            "Entente de corridor de référence (démonstration, fictive)",
            "Service 811 Info-Social et comptoir alimentaire",
            "Réponse aux références en 72 heures, jours ouvrables.",
        ]
    )
    corridor.documents.create(
        kind=DocumentKind.SIGNED,
        title="Texte signé (démo)",
        file_name="entente-corridor-demo.pdf",
        media_type="application/pdf",
        size=len(signed),
        sha256=hashlib.sha256(signed).hexdigest(),
        content=signed,
    )
    Meeting.objects.create(
        agreement=corridor,
        held_on=today - timedelta(days=60),
        attendees="Coordination régionale, 811, comptoir alimentaire",
        notes="Délai de réponse tenu ; hausse des demandes en fin de mois.",
        decisions="Ajouter une plage le samedi à l’essai pendant trois mois.",
    )
    protocol = agreement(
        "Protocole de collaboration – crise suicidaire",
        "Collaboration protocol – suicidal crisis",
        "protocol",
        AgreementStatus.ACTIVE,
        [
            (None, "établissement signataire", "Intervention de crise 24/7 par l’équipe mobile."),
            (teams.get("info_social"), "première ligne", "Transfert direct des appels à risque."),
            (crisis, "centre de crise", "Prise en charge dans l’heure, suivi étroit 72 h."),
        ],
        need_domains=["crisis", "mental_health"],
        how_to_refer="Transfert d’appel direct au centre de crise ; référence Proxima ensuite.",
        access_hours="24 heures sur 24, 7 jours sur 7",
        access_contact="418 555-0177",
        direct_transfer=True,
        signed_on=today - timedelta(days=1000),
        starts_on=today - timedelta(days=990),
        review_on=today + timedelta(days=12),  # due for review
    )
    Indicator.objects.create(agreement=protocol, kind=IndicatorKind.REFERRALS_ACCEPTED)
    agreement(
        "Entente de services – hébergement d’urgence",
        "Service agreement – emergency shelter",
        "service_agreement",
        AgreementStatus.EXPIRED,
        [
            (None, "établissement signataire", "Financement de 4 places."),
            (housing, "organisme hôte", "Accueil 24/7, accompagnement vers le logement."),
        ],
        need_domains=["housing"],
        how_to_refer="Téléphoner à l’organisme ; référence Proxima pour le suivi.",
        access_hours="24/7",
        signed_on=today - timedelta(days=1200),
        starts_on=today - timedelta(days=1190),
        review_on=today - timedelta(days=500),
        ends_on=today - timedelta(days=30),
    )
    agreement(
        "Entente de principe – soutien aux familles",
        "Memorandum – family support",
        "memorandum",
        AgreementStatus.DRAFT,
        [
            (teams.get("social_consultation"), "équipe CLSC", "À préciser."),
            (youth, "organisme famille", "À préciser."),
        ],
        need_domains=["family"],
    )
    for days, topic, trainers, attendees, organizations, under in (
        (
            45,
            "Estimation de la dangerosité d’un passage à l’acte suicidaire",
            "Centre de crise et 811",
            24,
            [crisis, food],
            protocol,
        ),
        (
            120,
            "Approche de réduction des méfaits",
            "Équipe mobile de proximité",
            17,
            [housing],
            None,
        ),
    ):
        session = TrainingSession.objects.create(
            region=region,
            agreement=under,
            topic=f"{topic} {DEMO_TAG}",
            held_on=today - timedelta(days=days),
            trainers=trainers,
            attendees=attendees,
        )
        session.organizations.set([o for o in organizations if o is not None])
    return Agreement.objects.filter(region=region, title_fr__endswith=DEMO_TAG).count()
