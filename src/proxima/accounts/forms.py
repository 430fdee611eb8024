from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("One-time code"),
        max_length=32,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
        help_text=_("The 6 digits your authenticator app shows, or one of your recovery codes."),
    )


class SetupForm(forms.Form):
    """The code the new app shows; to replace an authenticator that exists, the account's
    password too (a session left open must not be enough to take the account over)."""

    code = forms.CharField(
        label=_("Code shown by the app"),
        max_length=12,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )
    password = forms.CharField(
        label=_("Your password"), required=False, max_length=4096, strip=False
    )

    def __init__(self, *args, user=None, replacing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.replacing = user, replacing
        self.fields["password"].required = replacing

    def clean_password(self):
        password = self.cleaned_data.get("password", "")
        if self.replacing and not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."))
        return password
