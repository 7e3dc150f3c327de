"""Forms of the administration pages (accounts, audit log filters, reference lookup)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectChoice, SelectField, StringField

from cnpe_flow.audit.models import AUDIT_LABELS
from cnpe_flow.auth.models import ROLE_LABELS, Role

ROLE_CHOICES = [SelectChoice(str(role), ROLE_LABELS[role]) for role in Role]


class CreateUserForm(FlaskForm):
    name = StringField("Identifiant", description="Sans espace, 80 caractères au plus.")
    role = SelectField("Rôle", choices=ROLE_CHOICES, validate_choice=False)
    email = StringField("Adresse e-mail", description="Facultatif : pour les rappels.")
    organisation = StringField(
        "Organisation",
        description="Pour un partenaire : le nom de sa structure, montré à la place de "
        "l'identifiant quand un dossier lui est partagé.",
    )
    establishment = StringField(
        "Établissement", description="Obligatoire pour un compte SPIP ou USMP."
    )
    password = PasswordField(
        "Mot de passe initial",
        description="12 caractères au moins, pas un mot de passe courant ; à transmettre à la personne, qui le gardera secret.",
    )


class EditUserForm(FlaskForm):
    role = SelectField("Rôle", choices=ROLE_CHOICES, validate_choice=False)
    email = StringField("Adresse e-mail")
    organisation = StringField(
        "Organisation", description="Pour un partenaire : le nom de sa structure."
    )
    establishment = StringField(
        "Établissement", description="Obligatoire pour un compte SPIP ou USMP."
    )
    active = BooleanField("Compte actif (la personne peut se connecter)")
    password = PasswordField(
        "Nouveau mot de passe",
        description="Laisser vide pour garder le mot de passe actuel ; 12 caractères au moins, pas un mot de passe courant.",
    )


class AuditFilterForm(FlaskForm):
    """Filters of the audit log (GET: no CSRF token, nothing changes)."""

    class Meta:
        csrf = False

    person = StringField("Dossier n°")
    actor = SelectField("Utilisateur", choices=[], validate_choice=False)
    type = SelectField(
        "Type d'événement",
        choices=[SelectChoice("", "Tous")]
        + [SelectChoice(str(int(k)), v) for k, v in AUDIT_LABELS.items()],
        validate_choice=False,
    )


class PostcodeForm(FlaskForm):
    """CPAM lookup by postcode (GET)."""

    class Meta:
        csrf = False

    code_postal = StringField("Code postal de résidence")
